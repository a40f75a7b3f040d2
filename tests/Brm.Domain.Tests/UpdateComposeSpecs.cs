using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

/// <summary>What an update reports: gathered from the documents of one department, for one period, only what the business may see.</summary>
public sealed class UpdateComposeSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Need = Guid.NewGuid();
    private static readonly DateOnly Today = new(2026, 11, 2);
    private static readonly UpdatePeriod Period = UpdatePeriod.MonthEnding(Today); // 3 October to 2 November
    private const string Brm = "brm.jane";

    private static readonly Relationship Relationship = new object[]
    {
        new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, At(2026, 1, 5)),
        new InformationNeedRecorded(Finance, Need, "Outages that hit month-end", Priority.High, null, Brm, At(2026, 1, 6)),
    }.Aggregate((Relationship?)null, Relationship.Fold)!;

    private static DateTimeOffset At(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static Commitment Commitment(string title, DateOnly due, bool visible = true, DateTimeOffset? madeAt = null, params Func<Guid, object>[] then)
    {
        var id = Guid.NewGuid();
        object[] events =
        [
            new CommitmentMade(id, Finance, title, null, "omar", due, CommitmentDirection.ItToBusiness,
                new CommitmentSource(SourceKind.Other, null, null), visible, Brm, madeAt ?? At(2026, 9, 1)),
            .. then.Select(e => e(id)),
        ];
        return events.Aggregate((Commitment?)null, Commitments.Commitment.Fold)!;
    }

    private static Func<Guid, object> Delivered(DateTimeOffset at) => id => new CommitmentDelivered(id, Finance, null, Brm, at);

    private static Func<Guid, object> Cancelled(DateTimeOffset at, string reason) => id => new CommitmentCancelled(id, Finance, reason, Brm, at);

    private static Func<Guid, object> Moved(DateOnly from, DateOnly to, DateTimeOffset at, string reason) =>
        id => new DueDateRenegotiated(id, Finance, from, to, reason, null, Brm, at);

    private static FeedbackItem Feedback(string? comment, DateTimeOffset received, params Func<Guid, object>[] then)
    {
        var id = Guid.NewGuid();
        object[] events =
        [
            new FeedbackReceived(id, Finance, null, Channel.Email, null, FeedbackScale.Rating, comment, FeedbackSubject.General, null, Brm, received),
            .. then.Select(e => e(id)),
        ];
        return events.Aggregate((FeedbackItem?)null, FeedbackItem.Fold)!;
    }

    private static readonly Conversation Talk = new([], ["Jane"], "news", [], null);

    private static Meeting Held(string topic, DateTimeOffset at)
    {
        var id = Guid.NewGuid();
        return new object[]
        {
            new MeetingScheduled(id, Finance, MeetingKind.ServiceReview, topic, at, 60, [], Brm, Brm, at.AddDays(-7)),
            new MeetingHeld(id, Finance, at, Talk, Brm, at),
        }.Aggregate((Meeting?)null, Meeting.Fold)!;
    }

    private static Meeting Logged(string? topic, DateTimeOffset at) =>
        Meeting.Fold(null, new ConversationLogged(Guid.NewGuid(), Finance, MeetingKind.CoffeeChat, topic, at, Talk, Brm, at));

    private static PlanItem Item(Guid? need) =>
        new(Guid.NewGuid(), "Monthly IT update", need, Channel.Email, "all staff", Brm, new DateOnly(2026, 1, 10),
            [new CadenceSpan(Cadence.Monthly, new DateOnly(2026, 1, 10))], At(2026, 1, 10), At(2026, 1, 10), null);

    private static UpdateView Gather(
        IEnumerable<Commitment>? commitments = null, IEnumerable<FeedbackItem>? feedback = null, IEnumerable<Meeting>? meetings = null,
        PlanItem? item = null, UpdatePeriod? period = null) =>
        UpdateView.Gather(new DraftSources(Relationship, [.. commitments ?? []], [.. feedback ?? []], [.. meetings ?? []]), period ?? Period, item, Brm);

    [Fact]
    public void The_default_period_is_the_month_ending_today_and_the_next_one_as_long()
    {
        Assert.Equal(new UpdatePeriod(new DateOnly(2026, 10, 3), Today), Period);
        Assert.Equal(31, Period.Days);
        Assert.Equal(new UpdatePeriod(new DateOnly(2026, 11, 3), new DateOnly(2026, 12, 3)), Period.Next);
        Assert.Equal(new DateOnly(2026, 3, 1), UpdatePeriod.MonthEnding(new DateOnly(2026, 3, 31)).From);
    }

    [Theory]
    [InlineData("2026-10-03", "2026-11-02", null)]
    [InlineData("2026-11-02", "2026-11-02", null)]
    [InlineData("2025-11-01", "2026-11-02", null)]
    [InlineData("2025-10-31", "2026-11-02", "366 days")]
    [InlineData("2026-11-02", "2026-11-01", "must not be after period.to")]
    [InlineData("2026-11-01", "2026-11-03", "must not be after today")]
    public void A_period_ends_by_today_and_spans_at_most_366_days(string from, string to, string? problem)
    {
        var found = new UpdatePeriod(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)).Problem(Today);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Commitments_are_reported_by_what_happened_to_them_in_the_period()
    {
        var onTime = Commitment("Expense tool", new DateOnly(2026, 10, 20), then: Delivered(At(2026, 10, 18)));
        var late = Commitment("Laptops", new DateOnly(2026, 10, 10), then: Delivered(At(2026, 10, 14)));
        var before = Commitment("Old work", new DateOnly(2026, 9, 10), then: Delivered(At(2026, 9, 9)));
        var moved = Commitment("VPN", new DateOnly(2026, 10, 30),
            then: [Moved(new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 10), At(2026, 10, 20), "first delay"),
                Moved(new DateOnly(2026, 11, 10), new DateOnly(2026, 12, 20), At(2026, 10, 25), "The supplier is late")]);
        var movedThenDone = Commitment("Printer", new DateOnly(2026, 10, 5),
            then: [Moved(new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 12), At(2026, 10, 4), "parts"), Delivered(At(2026, 10, 11))]);
        var cancelled = Commitment("Desk move", new DateOnly(2026, 11, 30), then: Cancelled(At(2026, 10, 12), "The floor move was called off"));
        var comingDue = Commitment("Report pack", new DateOnly(2026, 11, 15));
        var lastDayOfNext = Commitment("Year-end prep", new DateOnly(2026, 12, 3));
        var later = Commitment("Far away", new DateOnly(2026, 12, 4));
        var hidden = Commitment("Internal clean-up", new DateOnly(2026, 10, 20), visible: false, then: Delivered(At(2026, 10, 19)));
        var hiddenDue = Commitment("Internal audit", new DateOnly(2026, 11, 20), visible: false);

        var view = Gather([onTime, late, before, moved, movedThenDone, cancelled, comingDue, lastDayOfNext, later, hidden, hiddenDue]);

        Assert.Equal(["Printer", "Laptops", "Expense tool"], view.Delivered.Select(d => d.Title));
        var laptops = view.Delivered.Single(d => d.Title == "Laptops");
        Assert.False(laptops.OnTime);
        Assert.Equal(4, laptops.DaysLate);
        Assert.True(view.Delivered.Single(d => d.Title == "Expense tool").OnTime);
        Assert.True(view.Delivered.Single(d => d.Title == "Printer").OnTime); // by the due date in force when delivered
        var vpn = Assert.Single(view.Renegotiated);
        Assert.Equal((moved.Id, new DateOnly(2026, 10, 30), new DateOnly(2026, 12, 20), "The supplier is late"), (vpn.Id, vpn.PreviousDueDate, vpn.DueDate, vpn.Reason));
        Assert.Equal(("Desk move", "The floor move was called off"), (Assert.Single(view.Cancelled).Title, view.Cancelled[0].Reason));
        Assert.Equal(["Report pack", "Year-end prep"], view.ComingDue.Select(c => c.Title));
        Assert.Equal(1, view.DeliveredLate);
        Assert.Equal(2, view.DeliveredOnTime);
        Assert.DoesNotContain(view.Facts, f => f.Id == hidden.Id || f.Id == hiddenDue.Id || f.Id == before.Id || f.Id == later.Id);
    }

    [Fact]
    public void A_past_period_reports_the_commitments_as_they_stood_at_its_end()
    {
        var september = new UpdatePeriod(new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30));
        var deliveredInOctober = Commitment("Expense tool", new DateOnly(2026, 10, 20), then: Delivered(At(2026, 10, 18)));
        var madeInOctober = Commitment("Later promise", new DateOnly(2026, 10, 25), madeAt: At(2026, 10, 2));

        var view = Gather([deliveredInOctober, madeInOctober], period: september);

        Assert.Equal(["Expense tool"], view.ComingDue.Select(c => c.Title)); // open at the end of September, due in October
        Assert.Empty(view.Delivered);
    }

    [Fact]
    public void Feedback_acted_on_names_its_commitment_only_when_the_business_may_see_it()
    {
        var visible = Commitment("Outage notices a week ahead", new DateOnly(2026, 11, 20));
        var hidden = Commitment("Internal ticket", new DateOnly(2026, 11, 20), visible: false);
        var warned = Feedback("Warn us before outages", At(2026, 10, 5), id => new FeedbackActioned(id, Finance, visible.Id, Brm, At(2026, 10, 7)));
        var quiet = Feedback("Fix the printer", At(2026, 10, 5), id => new FeedbackActioned(id, Finance, hidden.Id, Brm, At(2026, 10, 8)));
        var earlier = Feedback("Old", At(2026, 9, 1), id => new FeedbackActioned(id, Finance, visible.Id, Brm, At(2026, 9, 2)));

        var view = Gather([visible, hidden], [warned, quiet, earlier]);

        Assert.Equal([warned.Id, quiet.Id], view.Actioned.Select(a => a.Id));
        Assert.Equal("Outage notices a week ahead", view.Actioned[0].Commitment?.Title);
        Assert.Null(view.Actioned[1].Commitment);
    }

    [Fact]
    public void Declines_are_reported_in_their_period_and_after_it_until_the_business_is_told()
    {
        const string Reason = "There is no budget for it this financial year";
        var inPeriod = Feedback("Second laptop", At(2026, 10, 4), id => new FeedbackDeclined(id, Finance, Reason, Brm, At(2026, 10, 9)));
        var untold = Feedback("New phones", At(2026, 8, 4), id => new FeedbackDeclined(id, Finance, Reason, Brm, At(2026, 8, 9)));
        var told = Feedback("Free lunch", At(2026, 8, 4),
            id => new FeedbackDeclined(id, Finance, Reason, Brm, At(2026, 8, 9)),
            id => new FeedbackResponseSent(id, Finance, "We told you why", Channel.Email, [], Brm, At(2026, 8, 10)));
        var toldInPeriod = Feedback("Bigger screens", At(2026, 10, 4),
            id => new FeedbackDeclined(id, Finance, Reason, Brm, At(2026, 10, 9, 11)),
            id => new FeedbackResponseSent(id, Finance, "We told you why", Channel.Email, [], Brm, At(2026, 10, 10)));

        var view = Gather(feedback: [inPeriod, untold, told, toldInPeriod]);

        Assert.Equal([untold.Id, inPeriod.Id, toldInPeriod.Id], view.Declined.Select(d => d.Id));
        Assert.All(view.Declined, d => Assert.Equal(Reason, d.Reason));
    }

    [Fact]
    public void Meetings_held_and_conversations_logged_in_the_period_are_reported_by_topic()
    {
        var review = Held("Quarterly service review", At(2026, 10, 15));
        var chat = Logged(null, At(2026, 10, 21));
        var old = Held("Old review", At(2026, 9, 15));
        var scheduled = Meeting.Fold(null, new MeetingScheduled(Guid.NewGuid(), Finance, MeetingKind.Workshop, "Not yet", At(2026, 10, 30), 60, [], Brm, Brm, At(2026, 10, 1)));

        var view = Gather(meetings: [review, chat, old, scheduled]);

        Assert.Equal(["Quarterly service review", "coffee chat"], view.Meetings.Select(m => m.Topic));
    }

    [Fact]
    public void The_plan_items_information_need_is_reported_and_the_facts_list_every_item_by_kind()
    {
        var done = Commitment("Expense tool", new DateOnly(2026, 10, 20), then: Delivered(At(2026, 10, 18)));
        var review = Held("Review", At(2026, 10, 15));

        var view = Gather([done], meetings: [review], item: Item(Need));

        Assert.Equal("Outages that hit month-end", Assert.Single(view.InformationNeeds).Description);
        Assert.Equal(
            [new UpdateFact(UpdateFactKind.CommitmentDelivered, done.Id), new UpdateFact(UpdateFactKind.Meeting, review.Id), new UpdateFact(UpdateFactKind.InformationNeed, Need)],
            view.Facts);
        Assert.Empty(Gather(item: Item(null)).InformationNeeds);
        Assert.True(Gather(item: Item(null)).NothingToReport);
    }

    [Fact]
    public void Every_text_from_the_record_is_mapped_and_nothing_else()
    {
        var view = UpdateView.Sample.MapTexts(t => $"<{t}>");

        Assert.Equal("<New expense tool>", view.Delivered[0].Title);
        Assert.Equal("<The supplier delivers the hardware late>", view.Renegotiated[0].Reason);
        Assert.Null(view.Actioned[1].Comment);
        Assert.Equal("<Outage notices a week ahead>", view.Actioned[0].Commitment!.Title);
        Assert.Equal(UpdateView.Sample.Period, view.Period);
        Assert.Equal(UpdateView.Sample.Facts, view.Facts);
    }

}
