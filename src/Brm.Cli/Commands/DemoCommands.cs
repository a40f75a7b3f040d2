using System.CommandLine;
using System.Globalization;
using Brm.V1;
using Google.Protobuf.WellKnownTypes;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>
/// brm demo: loads <see cref="DemoOrganisation"/> through the API, as a quarter of a BRM's work: conversations and
/// meetings over the last 90 days, promises (some delivered and told, some due today, one cancelled), feedback
/// (actioned and told, declined and not told, not yet acknowledged) and communication plans.
/// Rerunning it is harmless: every call carries a request id derived from what it does, and every moment is counted
/// from the day the demo was first loaded (the day its first department was registered), so a rerun repeats the
/// same requests and the service answers them without appending anything.
/// </summary>
internal static class DemoCommands
{
    public static Command Create(Io io)
    {
        var manager = Optional("--manager", "The BRM who manages the demo departments (default: you; the demo needs an admin token)");
        var demo = Command("demo", "Load a realistic demo organisation (six departments, about forty people, a quarter of work); rerunning it changes nothing", manager);
        Context.Run(demo, io, async c =>
        {
            var brm = c.Get(manager) ?? c.Me;
            if (brm.Length == 0)
            {
                throw CliException.Usage("--manager: say who manages the demo departments (your token names nobody)");
            }

            var run = new DemoRun(c, brm, await AnchorAsync(c));
            await run.LoadAsync();
            var summary = new Struct
            {
                Fields =
                {
                    ["manager"] = Value.ForString(brm), ["departments"] = Value.ForNumber(DemoOrganisation.Departments.Length),
                    ["stakeholders"] = Value.ForNumber(DemoOrganisation.Departments.Sum(d => d.People.Length)),
                    ["calls"] = Value.ForNumber(run.Calls), ["anchor_day"] = Value.ForString(run.Anchor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                },
            };
            c.Out.Write(summary, _ => c.Out.Line(
                $"Loaded the demo organisation for {brm}: {DemoOrganisation.Departments.Length} departments, "
                + $"{DemoOrganisation.Departments.Sum(d => d.People.Length)} stakeholders, a quarter of meetings, commitments, feedback and plans "
                + $"({run.Calls} calls; a rerun changes nothing). Try: brm agenda, brm health finance, brm portfolio, brm coverage."));
            return 0;
        });
        return demo;
    }

    /// <summary>The day the demo was first loaded (its first department's registration), else today: every moment counts from it.</summary>
    private static async Task<DateOnly> AnchorAsync(Context c)
    {
        var registered = DateTimeOffset.UtcNow;
        try
        {
            registered = (await c.DepartmentAsync(DemoOrganisation.Departments[0].Code)).RegisteredAt.ToDateTimeOffset();
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
        }

        return DateOnly.FromDateTime(registered.UtcDateTime);
    }

    private sealed class DemoRun(Context c, string brm, DateOnly anchor)
    {
        private static readonly string[] ItPeople = ["Priya (Service Desk)", "Jonas (ERP team)", "Mei (Infrastructure)"];

        public DateOnly Anchor { get; } = anchor;

        public int Calls { get; private set; }

        private int _total;

        public async Task LoadAsync()
        {
            var departments = DemoOrganisation.Departments;
            _total = departments.Sum(d => d.People.Length + 30);
            for (var i = 0; i < departments.Length; i++)
            {
                await LoadAsync(departments[i], i);
            }

            c.Out.Progress(_total, _total, "calls");
        }

        private async Task LoadAsync(DemoOrganisation.Department d, int index)
        {
            RegisterDepartmentResponse registered;
            try
            {
                registered = await Call(c.Relationships.RegisterDepartmentAsync(new RegisterDepartmentRequest
                {
                    RequestId = Id(d.Code), Code = d.Code, Name = d.Name, Manager = brm,
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.AlreadyExists)
            {
                throw new CliException(ExitCodes.Conflict, $"already exists: department '{d.Code}' was not loaded by the demo for {brm} "
                    + "(rerun it with --manager set to the demo's manager, or load it into a database without the demo's codes)");
            }

            var relationship = registered.Relationship;
            var people = new List<string>();
            foreach (var p in d.People)
            {
                var request = StakeholderCommands.NewStakeholder(relationship.Id, p.Name, p.Title, p.Level, p.Email(DemoOrganisation.Domain), p.Influence, p.Interest);
                request.RequestId = Id(d.Code, "stakeholder", p.Name);
                people.Add((await Call(c.Relationships.AddStakeholderAsync(request, cancellationToken: c.Cancellation).ResponseAsync)).StakeholderId);
            }

            var needs = new List<string>();
            foreach (var need in d.NeedsAsked ? d.Needs : [])
            {
                needs.Add((await Call(c.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
                {
                    RequestId = Id(d.Code, "need", need), RelationshipId = relationship.Id, Description = need, Priority = Priority.High, RaisedByStakeholderId = people[0],
                }, cancellationToken: c.Cancellation).ResponseAsync)).InformationNeedId);
            }

            if (d.PreferencesAsked)
            {
                await Call(c.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
                {
                    RequestId = Id(d.Code, "pref"), RelationshipId = relationship.Id, Channel = Values.Enum<Channel>("channel", d.PreferredChannel), Audience = d.PreferredAudience,
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }

            if (index == 0)
            {
                // Finance confirmed its answers when asked again: the two questions' review.
                await Call(c.Relationships.ReviewNeedsAndPreferencesAsync(new ReviewNeedsAndPreferencesRequest
                {
                    RequestId = Id(d.Code, "two-questions", "review"), RelationshipId = relationship.Id,
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }

            foreach (var (side, level) in (ValueTuple<MaturitySide, int>[])[(MaturitySide.Business, d.BusinessMaturity), (MaturitySide.It, d.ItMaturity)])
            {
                await Call(c.Relationships.AssessMaturityAsync(new AssessMaturityRequest
                {
                    RequestId = Id(d.Code, "maturity", side.ToString()), RelationshipId = relationship.Id, Side = side, Level = (MaturityLevel)level,
                    Evidence = side == MaturitySide.Business ? "quarterly review with the department's leadership" : "IT's own view after the service review",
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }

            var meetings = await MeetingsAsync(d, index, relationship, people);
            await CommitmentsAsync(d, index, relationship, people, meetings);
            await FeedbackAsync(d, index, relationship, people, meetings);
            await PlanAsync(d, index, relationship, needs);
        }

        /// <summary>Four conversations over the quarter, a review held three weeks ago, one coming up, and (for some) one not yet recorded.</summary>
        private async Task<List<string>> MeetingsAsync(DemoOrganisation.Department d, int index, Relationship relationship, List<string> people)
        {
            var ids = new List<string>();
            int[] daysAgo = [80 - index, 55 - index, 30 - index, 9 - index];
            MeetingKind[] kinds = [MeetingKind.FaceToFace, MeetingKind.CoffeeChat, MeetingKind.Remote, MeetingKind.CoffeeChat];
            for (var k = 0; k < daysAgo.Length; k++)
            {
                var with = new[] { people[k % 3], people[3 + (k % 2)] }; // the last staff of bigger departments are nobody's contact yet
                var logged = await Call(c.Meetings.LogConversationAsync(new LogConversationRequest
                {
                    RequestId = Id(d.Code, "conversation", $"{k}"), RelationshipId = relationship.Id, Kind = kinds[k],
                    Topic = k == 0 ? "Introductions: what do you need from IT?" : $"Catch-up on {d.Needs[k % d.Needs.Length].ToLowerInvariant()}",
                    Conversation = new ConversationDetails
                    {
                        HeldAt = At(-daysAgo[k], 10), StakeholderIds = { with }, ItAttendees = { brm },
                        ItShared = "what IT is working on for the department this month",
                        BusinessRaised =
                        {
                            new RaisedPoint { Kind = RaisedPointKind.Concern, Text = d.RaisedConcern },
                            k % 2 == 0 ? new RaisedPoint { Kind = RaisedPointKind.Request, Text = d.RaisedRequest } : new RaisedPoint { Kind = RaisedPointKind.Praise, Text = d.Praise },
                        },
                    },
                }, cancellationToken: c.Cancellation).ResponseAsync);
                ids.Add(logged.Meeting.Id);
            }

            var review = await Call(c.Meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
            {
                RequestId = Id(d.Code, "review"), RelationshipId = relationship.Id, Kind = MeetingKind.ServiceReview, Topic = $"{d.Name} quarterly service review",
                Start = At(-21, 14), DurationMinutes = 60, Organiser = brm, InvitedStakeholderIds = { people[0], people[1] },
            }, cancellationToken: c.Cancellation).ResponseAsync);
            await Call(c.Meetings.HoldMeetingAsync(new HoldMeetingRequest
            {
                RequestId = Id(d.Code, "review", "held"), MeetingId = review.Meeting.Id,
                Conversation = new ConversationDetails
                {
                    StakeholderIds = { people[0], people[1] }, ItAttendees = { brm, ItPeople[index % ItPeople.Length] },
                    ItShared = "the quarter's incidents, changes and the roadmap",
                    BusinessRaised = { new RaisedPoint { Kind = RaisedPointKind.Request, Text = d.RaisedRequest } },
                },
            }, cancellationToken: c.Cancellation).ResponseAsync);
            ids.Add(review.Meeting.Id);

            await Call(c.Meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
            {
                RequestId = Id(d.Code, "next"), RelationshipId = relationship.Id, Kind = MeetingKind.FaceToFace, Topic = $"Monthly check-in with {d.People[1].Name}",
                Start = At(1 + index, 9), DurationMinutes = 30, Organiser = brm, InvitedStakeholderIds = { people[1] },
            }, cancellationToken: c.Cancellation).ResponseAsync);
            if (index % 3 == 0)
            {
                await Call(c.Meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
                {
                    RequestId = Id(d.Code, "unrecorded"), RelationshipId = relationship.Id, Kind = MeetingKind.Remote, Topic = "Walk-through of the new self-service portal",
                    Start = At(-3, 11), DurationMinutes = 45, Organiser = brm, InvitedStakeholderIds = { people[2], people[3] },
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }

            return ids;
        }

        /// <summary>From the review: one delivered and told, one due today (late from tomorrow), one in progress; legal's last one cancelled.</summary>
        private async Task CommitmentsAsync(DemoOrganisation.Department d, int index, Relationship relationship, List<string> people, List<string> meetings)
        {
            var review = meetings[^1];
            (string Title, int DueIn, string Owner)[] promises =
            [
                ($"Fix: {d.RaisedConcern}", 7 + index, ItPeople[index % ItPeople.Length]),
                ($"Answer: {d.RaisedRequest}", index % 2 == 0 ? 0 : 3, brm),
                ($"Plan and cost: {d.RaisedRequest}", 30 + index, ItPeople[(index + 1) % ItPeople.Length]),
            ];
            var ids = new List<string>();
            foreach (var (title, dueIn, owner) in promises)
            {
                var made = await Call(c.Commitments.MakeCommitmentAsync(new MakeCommitmentRequest
                {
                    RequestId = Id(d.Code, "commitment", title), RelationshipId = relationship.Id, Title = title, Owner = owner, DueDate = Day(dueIn),
                    Direction = CommitmentDirection.ItToBusiness, SourceMeetingId = review,
                }, cancellationToken: c.Cancellation).ResponseAsync);
                ids.Add(made.Commitment.Id);
            }

            await Call(c.Commitments.StartCommitmentAsync(new StartCommitmentRequest { RequestId = Id(d.Code, "start", ids[0]), CommitmentId = ids[0] }, cancellationToken: c.Cancellation).ResponseAsync);
            if (index % 2 == 1)
            {
                await Call(c.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest
                {
                    RequestId = Id(d.Code, "deliver", ids[0]), CommitmentId = ids[0], Note = "fixed and checked with the people who raised it",
                }, cancellationToken: c.Cancellation).ResponseAsync);
                await Call(c.Commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
                {
                    RequestId = Id(d.Code, "informed", ids[0]), CommitmentId = ids[0], Channel = Channel.Email, StakeholderIds = { people[0], people[1] },
                    Message = "It is fixed: thank you for raising it. Tell us if you still see it.",
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }

            if (d.Code == "legal")
            {
                await Call(c.Commitments.CancelCommitmentAsync(new CancelCommitmentRequest
                {
                    RequestId = Id(d.Code, "cancel", ids[2]), CommitmentId = ids[2], Reason = "the group's e-signature project covers it",
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }
        }

        /// <summary>A monthly check-in asked of three people: one answer actioned and told, one declined (told only in even departments), one not yet answered; and an anonymous note not yet acknowledged.</summary>
        private async Task FeedbackAsync(DemoOrganisation.Department d, int index, Relationship relationship, List<string> people, List<string> meetings)
        {
            var asked = await Call(c.Feedback.RequestFeedbackAsync(new RequestFeedbackRequest
            {
                RequestId = Id(d.Code, "ask"), RelationshipId = relationship.Id, AudienceStakeholderIds = { people[1], people[2], people[3] }, Channel = Channel.Email,
                Periodic = Cadence.Monthly, Question = "How well does IT keep you informed? What should we change?", RequestedAt = At(-40, 9),
            }, cancellationToken: c.Cancellation).ResponseAsync);
            var requestId = asked.FeedbackRequest.Id;

            var good = await Submit(d, "good", new SubmitFeedbackRequest
            {
                RelationshipId = relationship.Id, FromStakeholderId = people[1], Channel = Channel.Email, Rating = 4,
                Comment = $"Better than last year. {d.RaisedRequest} would help us most.", FeedbackRequestId = requestId, ReceivedAt = At(-38, 15),
            });
            await Call(c.Feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { RequestId = Id(d.Code, "ack", good), FeedbackId = good, Note = "we will look into it" }, cancellationToken: c.Cancellation).ResponseAsync);
            await Call(c.Feedback.ActionFeedbackAsync(new ActionFeedbackRequest
            {
                RequestId = Id(d.Code, "action", good), FeedbackId = good,
                NewCommitment = new CommitmentDraft { Title = $"Pilot: {d.RaisedRequest}", Owner = brm, DueDate = Day(21 + index), Direction = CommitmentDirection.ItToBusiness },
            }, cancellationToken: c.Cancellation).ResponseAsync);
            await Call(c.Feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
            {
                RequestId = Id(d.Code, "respond", good), FeedbackId = good, Channel = Channel.Email, SentAt = At(-35, 10), StakeholderIds = { people[1] },
                Response = "Thank you: we are running a pilot, and you will hear from us by its due date.",
            }, cancellationToken: c.Cancellation).ResponseAsync);

            var poor = await Submit(d, "poor", new SubmitFeedbackRequest
            {
                RelationshipId = relationship.Id, FromStakeholderId = people[2], Channel = Channel.FaceToFace, Rating = 2,
                Comment = $"{d.RaisedConcern}, and nobody tells us when it will be fixed.", AboutMeetingId = meetings[1], ReceivedAt = At(-33 + index, 12),
            });
            await Call(c.Feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { RequestId = Id(d.Code, "ack", poor), FeedbackId = poor }, cancellationToken: c.Cancellation).ResponseAsync);
            await Call(c.Feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest
            {
                RequestId = Id(d.Code, "decline", poor), FeedbackId = poor,
                Reason = "the vendor's next release fixes it; a workaround would cost more than waiting",
            }, cancellationToken: c.Cancellation).ResponseAsync);
            if (index % 2 == 0)
            {
                await Call(c.Feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
                {
                    RequestId = Id(d.Code, "respond", poor), FeedbackId = poor, Channel = Channel.FaceToFace, SentAt = At(-20, 10), StakeholderIds = { people[2] },
                    Response = "We will not build a workaround: the vendor's release next quarter fixes it, and we will tell you the date.",
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }

            await Submit(d, "anonymous", new SubmitFeedbackRequest
            {
                RelationshipId = relationship.Id, Anonymous = true, Channel = Channel.Intranet, Rating = 3 + (index % 2),
                Comment = "The service desk is friendly but slow to call back.", General = true, ReceivedAt = At(-2 - index, 16),
            });
        }

        private async Task<string> Submit(DemoOrganisation.Department d, string key, SubmitFeedbackRequest request)
        {
            request.RequestId = Id(d.Code, "feedback", key);
            return (await Call(c.Feedback.SubmitFeedbackAsync(request, cancellationToken: c.Cancellation).ResponseAsync)).Feedback.Id;
        }

        /// <summary>Two plan items from the day the demo was loaded (a planned load under the threshold), the update already sent once in half the departments.</summary>
        private async Task PlanAsync(DemoOrganisation.Department d, int index, Relationship relationship, List<string> needs)
        {
            var update = await Call(c.Plans.AddPlanItemAsync(new AddPlanItemRequest
            {
                RequestId = Id(d.Code, "plan", "update"), RelationshipId = relationship.Id, StartsOn = Day(0),
                Item = new PlanItemDetails
                {
                    What = $"IT update for {d.Name}", Channel = Values.Enum<Channel>("channel", d.PreferredChannel), Audience = d.PreferredAudience,
                    Cadence = index % 3 == 0 ? Cadence.Weekly : Cadence.Fortnightly, Owner = brm, InformationNeedId = needs.FirstOrDefault() ?? "",
                },
            }, cancellationToken: c.Cancellation).ResponseAsync);
            await Call(c.Plans.AddPlanItemAsync(new AddPlanItemRequest
            {
                RequestId = Id(d.Code, "plan", "report"), RelationshipId = relationship.Id, StartsOn = Day(0),
                Item = new PlanItemDetails
                {
                    What = "Quarterly service report", Channel = Channel.Email, Audience = $"{d.Name} leadership", Cadence = Cadence.Quarterly, Owner = brm,
                },
            }, cancellationToken: c.Cancellation).ResponseAsync);
            if (index % 2 == 0)
            {
                await Call(c.Plans.RecordCommunicationAsync(new RecordCommunicationRequest
                {
                    RequestId = Id(d.Code, "sent", "update"), RelationshipId = relationship.Id, PlanItemId = update.PlanItemId,
                    Channel = Values.Enum<Channel>("channel", d.PreferredChannel), DeliveredAt = relationship.RegisteredAt,
                    Summary = "This week: the planned outages, what was fixed, what is next",
                }, cancellationToken: c.Cancellation).ResponseAsync);
            }
        }

        private async Task<T> Call<T>(Task<T> call)
        {
            var answer = await call;
            Calls++;
            c.Out.Progress(Calls, _total, "calls");
            return answer;
        }

        /// <summary>The request id of a demo step: the same step of the same demo always has the same one.</summary>
        private string Id(params string[] step) => Values.StableId(["demo", brm, Anchor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. step]);

        private Timestamp At(int days, int hour) =>
            Timestamp.FromDateTimeOffset(new DateTimeOffset(Anchor.AddDays(days).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero));

        private Date Day(int days)
        {
            var day = Anchor.AddDays(days);
            return new Date { Year = day.Year, Month = day.Month, Day = day.Day };
        }
    }
}
