using System.CommandLine;
using System.Globalization;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm feedback request|submit|ack|action|decline|respond|list|stats: asking for feedback and closing its loop.</summary>
internal static class FeedbackCommands
{
    private static readonly Argument<string> Id = Arg("feedback", "The feedback item's id");

    public static Command Create(Io io)
    {
        var group = new Command("feedback", "Feedback: ask for it, record it, act on it or decline it, and tell the business");
        var dept = Department();
        var channel = Required("--channel", Values.Names<Channel>());
        var at = Optional("--at", "When (default now)");
        var meeting = Optional("--meeting", "About this meeting (id)");
        var commitment = Optional("--commitment", "About this commitment (id)");

        var to = Many("--to", "A stakeholder asked (email, name or id); repeatable; default every current stakeholder");
        var askedOn = Optional("--channel", $"How they were asked: {Values.Names<Channel>()} (required unless --email)");
        var periodic = Optional("--periodic", $"A periodic check-in: {Values.Names<Cadence>()}");
        var monthly = Flag("--monthly", "A monthly check-in (as --periodic monthly): it asks again each month by itself");
        var quarterly = Flag("--quarterly", "A quarterly check-in (as --periodic quarterly)");
        var question = Optional("--question", "What was asked");
        var scale = Optional("--scale", $"How answers are scored: {Values.Names<FeedbackScale>()} (default rating, 1-5; nps is 0-10)");
        var email = Flag("--email", "Email each of them a personal link to answer in a browser (one reminder follows to those who have not)");
        var allowAnonymous = Flag("--allow-anonymous", "With --email: the form offers to answer anonymously");
        var ask = Command("request", "Ask stakeholders for feedback about a meeting, a commitment, or periodically",
            dept, to, askedOn, meeting, commitment, periodic, monthly, quarterly, question, scale, email, allowAnonymous, at);
        Context.Run(ask, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var byEmail = c.Get(email);
            var request = new RequestFeedbackRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id,
                Channel = c.Get(askedOn) is { } how ? Values.Enum<Channel>("channel", how)
                    : byEmail ? Channel.Email : throw CliException.Usage("channel: give --channel, or --email"),
                Question = c.Get(question) ?? "", RequestedAt = c.Get(at) is { } when ? Values.Time("at", when) : null,
                AudienceStakeholderIds =
                {
                    c.Get(to) is { Length: > 0 } named ? Context.StakeholderIds(relationship, named)
                        : relationship.Stakeholders.Select(p => p.Id),
                },
                Scale = c.Get(scale) is { } s ? Values.Enum<FeedbackScale>("scale", s) : FeedbackScale.Rating,
                Delivery = byEmail ? FeedbackDelivery.Email : FeedbackDelivery.None,
                AllowAnonymous = c.Get(allowAnonymous),
            };
            var cadence = (c.Get(periodic), c.Get(monthly), c.Get(quarterly)) switch
            {
                ({ } p, false, false) => Values.Enum<Cadence>("periodic", p),
                (null, true, false) => Cadence.Monthly,
                (null, false, true) => Cadence.Quarterly,
                (null, false, false) => (Cadence?)null,
                _ => throw CliException.Usage("periodic: give at most one of --periodic, --monthly or --quarterly"),
            };
            switch (c.Get(meeting), c.Get(commitment), cadence)
            {
                case ({ } m, null, null): request.AboutMeetingId = m; break;
                case (null, { } x, null): request.AboutCommitmentId = x; break;
                case (null, null, { } p): request.Periodic = p; break;
                default: throw CliException.Usage("about: give exactly one of --meeting, --commitment or --periodic (--monthly, --quarterly)");
            }

            var response = await c.Feedback.RequestFeedbackAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Asked {request.AudienceStakeholderIds.Count} people of {relationship.Code} for feedback (request {response.FeedbackRequest.Id})"
                + (byEmail ? ": each is emailed a personal link." : ".")));
            return 0;
        });

        var requestId = Arg("request", "The request for feedback's id");
        var why = Optional("--reason", "Why it is withdrawn");
        var revoke = Command("revoke", "Withdraw a request for feedback: its links stop taking answers, and a periodic one asks no more", requestId, why);
        Context.Run(revoke, io, c => c.Feedback.RevokeFeedbackRequestAsync(new RevokeFeedbackRequestRequest
        {
            RequestId = Context.RequestId(), FeedbackRequestId = c.Get(requestId), Reason = c.Get(why) ?? "",
        }, cancellationToken: c.Cancellation).ResponseAsync, r => $"Withdrew request {r.FeedbackRequest.Id}: its links take no more answers.");

        var from = Optional("--from", "Who gave it (email, name or id)");
        var anonymous = Flag("--anonymous", "Given anonymously: no stakeholder is linked, ever");
        var rating = new Option<int?>("--rating") { Description = "1-5, or 0-10 answering an NPS request" };
        var comment = Optional("--comment", "What they said, verbatim");
        var answers = Optional("--request", "The request for feedback it answers (id)");
        var submit = Command("submit", "Record feedback received (about a meeting, a commitment, the request it answers, or general)",
            dept, from, anonymous, channel, rating, comment, meeting, commitment, answers, at);
        Context.Run(submit, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var request = new SubmitFeedbackRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Channel = Values.Enum<Channel>("channel", c.Get(channel)),
                Comment = c.Get(comment) ?? "", FeedbackRequestId = c.Get(answers) ?? "",
                ReceivedAt = c.Get(at) is { } when ? Values.Time("at", when) : null,
            };
            switch (c.Get(from), c.Get(anonymous))
            {
                case ({ } who, false): request.FromStakeholderId = Context.Stakeholder(relationship, who).Id; break;
                case (null, true): request.Anonymous = true; break;
                default: throw CliException.Usage("from: give exactly one of --from or --anonymous");
            }

            if (c.Get(rating) is { } stars) { request.Rating = stars; }
            switch (c.Get(meeting), c.Get(commitment))
            {
                case ({ } m, null): request.AboutMeetingId = m; break;
                case (null, { } x): request.AboutCommitmentId = x; break;
                case (null, null) when request.FeedbackRequestId.Length == 0: request.General = true; break;
                case (null, null): break; // about what the request was about
                default: throw CliException.Usage("about: give at most one of --meeting or --commitment");
            }

            var response = await c.Feedback.SubmitFeedbackAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Recorded feedback {response.Feedback.Id} from {relationship.Code}."));
            return 0;
        });

        var note = Optional("--note", "What IT will do with it");
        var ack = Command("ack", "Acknowledge feedback: IT has read it and will consider it", Id, note);
        Context.Run(ack, io, c => c.Feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest
        {
            RequestId = Context.RequestId(), FeedbackId = c.Get(Id), Note = c.Get(note) ?? "",
        }, cancellationToken: c.Cancellation).ResponseAsync, r => $"Acknowledged {r.Feedback.Id}.");

        var through = Optional("--commitment", "Act on it through this existing commitment (id)");
        var title = Optional("--title", "Or make a new commitment with this title (with --due)");
        var due = Optional("--due", "The new commitment's due date, yyyy-MM-dd");
        var owner = Optional("--owner", "The new commitment's owner (default: you)");
        var description = Optional("--description", "The new commitment's description");
        var action = Command("action", "Act on feedback through a commitment, an existing one or a new one", Id, through, title, due, owner, description);
        Context.Run(action, io, async c =>
        {
            var request = new ActionFeedbackRequest { RequestId = Context.RequestId(), FeedbackId = c.Get(Id) };
            switch (c.Get(through), c.Get(title), c.Get(due))
            {
                case ({ } existing, null, null): request.CommitmentId = existing; break;
                case (null, { } t, { } d):
                    request.NewCommitment = new CommitmentDraft
                    {
                        Title = t, DueDate = Values.Day("due", d), Owner = c.Get(owner) ?? c.Me, Description = c.Get(description) ?? "",
                        Direction = CommitmentDirection.ItToBusiness,
                    };
                    break;
                default: throw CliException.Usage("commitment: give --commitment ID, or --title and --due for a new one");
            }

            var response = await c.Feedback.ActionFeedbackAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Actioned {response.Feedback.Id} through commitment {response.Commitment.Id}: {response.Commitment.Title}."));
            return 0;
        });

        var reason = Required("--reason", "Why IT will not act on it (at least 15 characters and three words)");
        var decline = Command("decline", "Decline feedback, saying why (then tell the business: feedback respond)", Id, reason);
        Context.Run(decline, io, c => c.Feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest
        {
            RequestId = Context.RequestId(), FeedbackId = c.Get(Id), Reason = c.Get(reason),
        }, cancellationToken: c.Cancellation).ResponseAsync, r => $"Declined {r.Feedback.Id}.");

        var message = Required("--message", "What the business was told");
        var told = Many("--told", "A stakeholder it was sent to (email, name or id); repeatable");
        var respond = Command("respond", "Tell the business what happened: this closes the loop", Id, message, channel, told, at);
        Context.Run(respond, io, async c =>
        {
            var request = new RespondToFeedbackRequest
            {
                RequestId = Context.RequestId(), FeedbackId = c.Get(Id), Response = c.Get(message), Channel = Values.Enum<Channel>("channel", c.Get(channel)),
                SentAt = c.Get(at) is { } when ? Values.Time("at", when) : null,
            };
            if (c.Get(told).Length > 0)
            {
                var feedback = (await c.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = c.Get(Id) }, cancellationToken: c.Cancellation)).Feedback;
                request.StakeholderIds.AddRange(Context.StakeholderIds(await c.DepartmentAsync(feedback.RelationshipId), c.Get(told)));
            }

            var response = await c.Feedback.RespondToFeedbackAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Responded to {response.Feedback.Id}: the loop is closed."));
            return 0;
        });

        var inDept = DepartmentFilter("Only this department's feedback");
        var status = Many("--status", "received, acknowledged, actioned, declined, responded; repeatable (declined alone: the untold declines)");
        var openDays = new Option<int?>("--open-days") { Description = "Only loops open for more than this many days" };
        var minRating = new Option<int?>("--min-rating") { Description = "Only rated at least this (1-5)" };
        var maxRating = new Option<int?>("--max-rating") { Description = "Only rated at most this (1-5)" };
        var tagged = TagFilter();
        var list = Command("list", "List feedback, the longest-waiting first", inDept, status, openDays, minRating, maxRating, answers, tagged);
        Context.Run(list, io, async c =>
        {
            var request = new ListFeedbackRequest { PageSize = 500, FeedbackRequestId = c.Get(answers) ?? "", Tags = { c.Get(tagged) } };
            if (c.Get(inDept) is { } code) { request.RelationshipId = (await c.DepartmentAsync(code)).Id; }
            request.Statuses.AddRange(c.Get(status).Select(s => Values.Enum<FeedbackStatus>("status", s)));
            if (c.Get(openDays) is { } days) { request.LoopOpenMoreThanDays = days; }
            if (c.Get(minRating) is { } min) { request.MinRating = min; }
            if (c.Get(maxRating) is { } max) { request.MaxRating = max; }
            var result = new ListFeedbackResponse { Feedback = { await AllAsync(c, request) } };
            c.Out.Write(result, console =>
            {
                var table = new Table().AddColumns("Received", "Status", "Rating", "Comment", "Open days", "Id");
                foreach (var f in result.Feedback)
                {
                    table.AddRow(Output.Time(f.ReceivedAt), Output.Enum(f.Status) + (f.LoopClosed ? "" : " (open)"), f.HasRating ? $"{f.Rating}" : "",
                        Markup.Escape(f.Comment), $"{f.LoopOpenDays}", f.Id);
                }

                console.Write(table);
            });
            return 0;
        });

        var periodFrom = Optional("--from", "From this moment (default: the start)");
        var periodTo = Optional("--to", "Until this moment (default: now)");
        var threshold = new Option<int>("--open-days") { Description = "A loop open longer than this many days counts as late (default 30)", DefaultValueFactory = _ => 30 };
        var stats = Command("stats", "How well the feedback loop works: response rate, time to acknowledge and to close, untold declines", inDept, periodFrom, periodTo, threshold);
        Context.Run(stats, io, async c =>
        {
            var request = new GetFeedbackLoopStatsRequest { LoopOpenDays = c.Get(threshold) };
            if (c.Get(inDept) is { } code) { request.RelationshipId = (await c.DepartmentAsync(code)).Id; }
            if (c.Get(periodFrom) is { } f) { request.PeriodStart = Values.Time("from", f); }
            if (c.Get(periodTo) is { } t) { request.PeriodEnd = Values.Time("to", t); }
            var response = await c.Feedback.GetFeedbackLoopStatsAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                var s = response.Stats;
                var table = new Table().AddColumns("Measure", "Value");
                table.AddRow("requests sent (people asked)", $"{s.RequestsSent} ({s.PeopleAsked})");
                table.AddRow("responses (rate)", $"{s.Responses} ({Share(s.HasResponseRate ? s.ResponseRate : null)})");
                table.AddRow("feedback received", $"{s.Received}");
                table.AddRow("acknowledged (median hours)", $"{s.Acknowledged} ({Number(s.HasMedianHoursToAcknowledge ? s.MedianHoursToAcknowledge : null)})");
                table.AddRow("loops closed (share, median hours)", $"{s.LoopsClosed} ({Share(s.HasLoopsClosedShare ? s.LoopsClosedShare : null)}, {Number(s.HasMedianHoursToClose ? s.MedianHoursToClose : null)})");
                table.AddRow($"open loops (over {s.LoopOpenDays} days)", $"{s.OpenLoops} ({s.OpenLoopsOverThreshold})");
                table.AddRow("actioned", $"{s.Actioned}");
                table.AddRow("declines told / NOT told", $"{s.DeclinesTold} / {s.DeclinesNotTold}");
                table.AddRow("average rating (rated)", $"{Number(s.HasAverageRating ? s.AverageRating : null)} ({s.Rated})");
                var scores = s.Scores ?? new ScaleScores();
                table.AddRow("NPS (promoters / passives / detractors)",
                    $"{Number(scores.HasNps ? scores.Nps : null)} ({scores.Promoters} / {scores.Passives} / {scores.Detractors})");
                table.AddRow("CSAT satisfied (answers)", $"{Share(scores.HasCsatShare ? scores.CsatShare : null)} ({scores.CsatAnswers})");
                console.Write(table);
            });
            return 0;
        });

        foreach (var command in (Command[])[ask, revoke, submit, ack, action, decline, respond, list, stats])
        {
            group.Add(command);
        }

        return group;
    }

    /// <summary>Every feedback item <paramref name="request"/> selects, page after page.</summary>
    public static Task<List<Feedback>> AllAsync(Context c, ListFeedbackRequest request) =>
        Context.AllPagesAsync(request, r => c.Feedback.ListFeedbackAsync(r, cancellationToken: c.Cancellation), page => page.Feedback);

    private static string Share(double? share) => share is { } s ? s.ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    private static string Number(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : "n/a";
}
