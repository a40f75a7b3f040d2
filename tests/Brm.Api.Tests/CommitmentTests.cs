using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;

namespace Brm.Api.Tests;

public sealed class CommitmentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Friday = new(2026, 11, 6);

    private readonly RelationshipService.RelationshipServiceClient _relationships = api.Relationships;
    private readonly CommitmentService.CommitmentServiceClient _commitments = api.Commitments;

    [Fact]
    public async Task A_commitment_is_made_started_renegotiated_delivered_and_told_with_its_whole_history()
    {
        api.Clock.Set(Monday);
        var finance = await _relationships.RegisterAsync("Finance");
        var alice = await _relationships.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive));
        var made = await _commitments.MakeCommitmentAsync(Commitment(finance, "Monthly outage summary", Friday));
        var id = made.Commitment.Id;

        await _commitments.StartCommitmentAsync(new StartCommitmentRequest { CommitmentId = id });
        await _commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = id, DueDate = Day(Friday.AddDays(7)), Reason = "the report tool is being upgraded",
            AgreedWithStakeholderId = alice.StakeholderId,
        });
        await _commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = id, Note = "first summary sent" });
        var told = await _commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
        {
            CommitmentId = id, Channel = Channel.Email, StakeholderIds = { alice.StakeholderId }, Message = "The summary is out",
        });
        var read = (await _commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = id })).Commitment;

        Assert.Equal((1L, 5L), (made.Version, told.Version));
        Assert.Equal(told.Commitment, read);
        Assert.Equal(CommitmentStatus.Delivered, read.Status);
        Assert.True(read.DeliveredOnTime);
        Assert.True(read.OutcomeTold);
        Assert.True(read.VisibleToBusiness);
        Assert.Equal("asked for in the corridor", read.SourceNote);
        Assert.Equal(Day(Friday.AddDays(7)), read.DueDate);
        Assert.Equal(
            [CommitmentChangeKind.Made, CommitmentChangeKind.Started, CommitmentChangeKind.Renegotiated, CommitmentChangeKind.Delivered,
                CommitmentChangeKind.BusinessInformed],
            read.History.Select(h => h.Kind));
        var renegotiation = read.History[2];
        Assert.Equal((Day(Friday), Day(Friday.AddDays(7)), "the report tool is being upgraded"),
            (renegotiation.PreviousDueDate, renegotiation.DueDate, renegotiation.Text));
        Assert.Equal((CommitmentOutcome.Delivered, Channel.Email), (read.History[4].Outcome, read.History[4].Channel));
        Assert.Equal([alice.StakeholderId], read.History[4].StakeholderIds);
    }

    [Fact]
    public async Task Overdue_is_derived_from_the_clock_across_the_due_date()
    {
        api.Clock.Set(Monday);
        var owner = "owner." + Guid.NewGuid().ToString("N")[..8];
        var hr = await _relationships.RegisterAsync("HR");
        var made = await _commitments.MakeCommitmentAsync(Commitment(hr, "New starter checklist", Friday, owner));

        api.Clock.Set(new DateTimeOffset(2026, 11, 6, 23, 59, 0, TimeSpan.Zero));
        var onTheDay = await _commitments.ListCommitmentsAsync(new ListCommitmentsRequest { Owner = owner, OverdueOnly = true });
        api.Clock.Set(new DateTimeOffset(2026, 11, 7, 0, 1, 0, TimeSpan.Zero));
        var dayAfter = await _commitments.ListCommitmentsAsync(new ListCommitmentsRequest { Owner = owner, OverdueOnly = true });
        var read = (await _commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = made.Commitment.Id })).Commitment;

        Assert.Empty(onTheDay.Commitments);
        Assert.Equal([made.Commitment.Id], dayAfter.Commitments.Select(c => c.Id));
        Assert.True(read.Overdue);
    }

    [Fact]
    public async Task Lists_are_ordered_by_due_date_page_by_page_and_filter_by_status_and_due_before()
    {
        api.Clock.Set(Monday);
        var ops = await _relationships.RegisterAsync("Operations");
        foreach (var days in new[] { 9, 3, 5, 1, 7 })
        {
            await _commitments.MakeCommitmentAsync(Commitment(ops, $"Due in {days} days", DateOnly.FromDateTime(Monday.UtcDateTime).AddDays(days)));
        }

        var seen = new List<string>();
        var request = new ListCommitmentsRequest { RelationshipId = ops.Id, PageSize = 2 };
        do
        {
            var page = await _commitments.ListCommitmentsAsync(request);
            seen.AddRange(page.Commitments.Select(c => c.Title));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        var first = (await _commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = ops.Id, PageSize = 1 })).Commitments[0];
        await _commitments.CancelCommitmentAsync(new CancelCommitmentRequest { CommitmentId = first.Id, Reason = "no longer needed" });
        var cancelled = await _commitments.ListCommitmentsAsync(new ListCommitmentsRequest
        {
            RelationshipId = ops.Id, Statuses = { CommitmentStatus.Cancelled },
        });
        var dueSoon = await _commitments.ListCommitmentsAsync(new ListCommitmentsRequest
        {
            RelationshipId = ops.Id, DueBefore = Day(DateOnly.FromDateTime(Monday.UtcDateTime).AddDays(4)),
        });

        Assert.Equal(["Due in 1 days", "Due in 3 days", "Due in 5 days", "Due in 7 days", "Due in 9 days"], seen);
        Assert.Equal(["Due in 1 days"], cancelled.Commitments.Select(c => c.Title));
        Assert.Equal(["Due in 1 days", "Due in 3 days"], dueSoon.Commitments.Select(c => c.Title));
    }

    [Fact]
    public async Task Delivered_and_cancelled_are_final_except_for_telling_the_business()
    {
        api.Clock.Set(Monday);
        var legal = await _relationships.RegisterAsync("Legal");
        var carol = await _relationships.AddStakeholderAsync(Stakeholder(legal, "Carol", StakeholderLevel.Manager));
        var made = await _commitments.MakeCommitmentAsync(Commitment(legal, "Contract template", Friday));
        var id = made.Commitment.Id;
        await _commitments.CancelCommitmentAsync(new CancelCommitmentRequest { CommitmentId = id, Reason = "the vendor withdrew" });

        var deliver = await FailsWith(StatusCode.FailedPrecondition,
            _commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = id }));
        await FailsWith(StatusCode.FailedPrecondition, _commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = id, DueDate = Day(Friday.AddDays(3)), Reason = "x",
        }));
        var told = await _commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
        {
            CommitmentId = id, Channel = Channel.FaceToFace, StakeholderIds = { carol.StakeholderId }, Message = "Vendor withdrew; we will re-tender",
        });

        Assert.Contains("final", deliver.Status.Detail, StringComparison.Ordinal);
        Assert.True(told.Commitment.OutcomeTold);
    }

    [Fact]
    public async Task Rules_and_bad_input_are_refused_and_change_nothing()
    {
        api.Clock.Set(Monday);
        var it = await _relationships.RegisterAsync("IT Ops");
        var before = await api.EventCountAsync();

        var past = await FailsWith(StatusCode.FailedPrecondition,
            _commitments.MakeCommitmentAsync(Commitment(it, "Backdated", new DateOnly(2026, 11, 1))));
        var invalid = await FailsWith(StatusCode.InvalidArgument, _commitments.MakeCommitmentAsync(new MakeCommitmentRequest
        {
            RelationshipId = it.Id, DueDate = new Date { Year = 2026, Month = 2, Day = 30 },
        }));
        await FailsWith(StatusCode.NotFound, _commitments.MakeCommitmentAsync(Commitment(
            new Relationship { Id = Guid.NewGuid().ToString() }, "Nowhere", Friday)));
        await FailsWith(StatusCode.NotFound, _commitments.StartCommitmentAsync(new StartCommitmentRequest { CommitmentId = Guid.NewGuid().ToString() }));
        var made = await _commitments.MakeCommitmentAsync(Commitment(it, "Patch night", Friday));
        var nothingToTell = await FailsWith(StatusCode.FailedPrecondition, _commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
        {
            CommitmentId = made.Commitment.Id, Channel = Channel.Email, StakeholderIds = { Guid.NewGuid().ToString() }, Message = "hi",
        }));
        await FailsWith(StatusCode.Aborted, _commitments.StartCommitmentAsync(new StartCommitmentRequest
        {
            CommitmentId = made.Commitment.Id, ExpectedVersion = 7,
        }));
        var sameDate = await FailsWith(StatusCode.FailedPrecondition, _commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = made.Commitment.Id, DueDate = Day(Friday), Reason = "x",
        }));
        var noReason = await FailsWith(StatusCode.InvalidArgument, _commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = made.Commitment.Id, DueDate = Day(Friday.AddDays(1)),
        }));

        Assert.Contains("before the day", past.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["direction", "due_date", "owner", "source", "title"], invalid.ViolatedFields().Order());
        Assert.Contains("no outcome", nothingToTell.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("differ", sameDate.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["reason"], noReason.ViolatedFields());
        Assert.Equal(before + 1, await api.EventCountAsync());
    }

    [Fact]
    public async Task An_archived_relationship_refuses_new_commitments_and_an_unknown_source_is_not_found()
    {
        api.Clock.Set(Monday);
        var closed = await _relationships.RegisterAsync("Closed Dept");
        await _relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = closed.Id, Reason = "merged" });

        var archived = await FailsWith(StatusCode.FailedPrecondition, _commitments.MakeCommitmentAsync(Commitment(closed, "Too late", Friday)));
        var open = await _relationships.RegisterAsync("Open Dept");
        var request = Commitment(open, "From a meeting that never was", Friday);
        request.SourceMeetingId = Guid.NewGuid().ToString();

        await FailsWith(StatusCode.NotFound, _commitments.MakeCommitmentAsync(request));
        Assert.Contains("archived", archived.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_request_id_makes_one_commitment()
    {
        api.Clock.Set(Monday);
        var finance = await _relationships.RegisterAsync("Finance");
        var request = Commitment(finance, "Once only", Friday);
        request.RequestId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await _commitments.MakeCommitmentAsync(request)));

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        var listed = await _commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id });
        Assert.Single(listed.Commitments);
    }

    [Fact]
    public async Task Figures_per_relationship_count_late_cancelled_renegotiated_and_told()
    {
        api.Clock.Set(Monday);
        var finance = await _relationships.RegisterAsync("Finance");
        var alice = await _relationships.AddStakeholderAsync(Stakeholder(finance, "Alice", StakeholderLevel.Executive));
        var late = await _commitments.MakeCommitmentAsync(Commitment(finance, "Late one", Friday));
        var cancelled = await _commitments.MakeCommitmentAsync(Commitment(finance, "Cancelled one", Friday));
        var moved = await _commitments.MakeCommitmentAsync(Commitment(finance, "Moved one", Friday));
        await _commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = moved.Commitment.Id, DueDate = Day(Friday.AddDays(14)), Reason = "waiting on the vendor",
        });
        await _commitments.CancelCommitmentAsync(new CancelCommitmentRequest { CommitmentId = cancelled.Commitment.Id, Reason = "no budget" });
        api.Clock.Set(Monday.AddDays(6));
        await _commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = late.Commitment.Id });
        foreach (var c in new[] { late, cancelled, moved })
        {
            await _commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
            {
                CommitmentId = c.Commitment.Id, Channel = Channel.Email, StakeholderIds = { alice.StakeholderId }, Message = "update",
            });
        }

        var figures = (await _commitments.GetCommitmentFiguresAsync(new GetCommitmentFiguresRequest { RelationshipId = finance.Id })).Figures;
        var byOwner = (await _commitments.GetCommitmentFiguresAsync(new GetCommitmentFiguresRequest { Owner = "omar.it" })).Figures;

        Assert.Equal((3, 1, 0, 1, 1, 1, 2, 2), (figures.Total, figures.Open, figures.DeliveredOnTime, figures.DeliveredLate,
            figures.Cancelled, figures.Renegotiated - 0, figures.Closed, figures.ClosedTold));
        Assert.Equal(1.0, figures.ToldShare);
        Assert.True(byOwner.Total >= 3);
    }
}
