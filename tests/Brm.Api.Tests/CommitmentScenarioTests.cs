using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Issue 4's "done when": promises made in Finance's team-meeting slot, kept honest.</summary>
public sealed class CommitmentScenarioTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Friday = new(2026, 11, 6);

    [Fact]
    public async Task Three_promises_from_a_team_meeting_slot_renegotiated_delivered_late_cancelled_and_all_told()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Executive), ("Bob", StakeholderLevel.Manager)]);
        var slot = (await api.Meetings.ScheduleMeetingAsync(Schedule(finance, Monday.AddHours(-1), "Bob"))).Meeting;
        await api.Meetings.HoldMeetingAsync(Hold(slot, finance, "Bob"));

        async Task<Commitment> MakeAsync(string title)
        {
            var request = Commitment(finance.Relationship, title, Friday);
            request.SourceMeetingId = slot.Id;
            return (await api.Commitments.MakeCommitmentAsync(request)).Commitment;
        }

        var moved = await MakeAsync("Expense tool training");
        var late = await MakeAsync("Month-end report fix");
        var cancelled = await MakeAsync("New printer on floor 3");
        await api.Commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = moved.Id, DueDate = Day(Friday.AddDays(14)), Reason = "the trainer is off sick",
            AgreedWithStakeholderId = finance["Bob"],
        });
        await api.Commitments.CancelCommitmentAsync(new CancelCommitmentRequest { CommitmentId = cancelled.Id, Reason = "no budget until April" });
        api.Clock.Set(Monday.AddDays(5));
        var overdue = await api.Commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id, OverdueOnly = true });
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = late.Id, Note = "fixed" });
        foreach (var (commitment, message) in new[] { (moved, "two weeks later"), (late, "fixed, sorry for the delay"), (cancelled, "no budget until April") })
        {
            await api.Commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
            {
                CommitmentId = commitment.Id, Channel = Channel.TeamMeeting, StakeholderIds = { finance["Bob"] }, Message = message,
            });
        }

        var meeting = await api.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = slot.Id });
        var figures = (await api.Commitments.GetCommitmentFiguresAsync(new GetCommitmentFiguresRequest { RelationshipId = finance.Id })).Figures;
        var fromSlot = await api.Commitments.ListCommitmentsAsync(new ListCommitmentsRequest { SourceMeetingId = slot.Id });

        Assert.Equal([late.Id], overdue.Commitments.Select(c => c.Id));
        Assert.Equal(
            ["Expense tool training", "Month-end report fix", "New printer on floor 3"],
            meeting.Commitments.Select(c => c.Title).Order());
        Assert.Equal(3, fromSlot.Commitments.Count);
        Assert.All(meeting.Commitments, c => Assert.Equal(slot.Id, c.SourceMeetingId));
        Assert.Equal((1, 0, 1, 1), (figures.DeliveredLate, figures.DeliveredOnTime, figures.Cancelled, figures.Open));
        Assert.Equal(1, figures.Renegotiated);
        Assert.Equal(1.0, figures.ToldShare);
    }

    [Fact]
    public async Task A_commitment_cannot_come_from_another_departments_meeting()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Executive)]);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)]);
        var hrChat = (await api.Meetings.LogConversationAsync(Conversation(hr, Monday.AddMinutes(-5), "Hana"))).Meeting;
        var request = Commitment(finance.Relationship, "Wrong place", Friday);
        request.SourceMeetingId = hrChat.Id;

        var failure = await FailsWith(StatusCode.FailedPrecondition, api.Commitments.MakeCommitmentAsync(request));

        Assert.Contains("another relationship", failure.Status.Detail, StringComparison.Ordinal);
    }
}
