using Brm.V1;

namespace Brm.Api.Tests.Support;

/// <summary>Small builders for feedback test data.</summary>
public static class FeedbackBuilders
{
    public const string BudgetReason = "There is no budget for a second laptop per person this financial year";

    public static RequestFeedbackRequest Ask(Department department, params string[] audience) => new()
    {
        RelationshipId = department.Id,
        AudienceStakeholderIds = { department.Ids(audience) },
        Channel = Channel.Email,
        Periodic = Cadence.Monthly,
        Question = "How is IT doing for you this month?",
    };

    /// <summary>Feedback from a named stakeholder; <paramref name="from"/> null makes it anonymous.</summary>
    public static SubmitFeedbackRequest Give(Department department, string? from, string comment, int? rating = null, string? answering = null)
    {
        var request = new SubmitFeedbackRequest
        {
            RelationshipId = department.Id, Channel = Channel.Email, Comment = comment, FeedbackRequestId = answering ?? "",
        };
        if (from is null)
        {
            request.Anonymous = true;
        }
        else
        {
            request.FromStakeholderId = department[from];
        }

        if (rating is { } r)
        {
            request.Rating = r;
        }

        return request;
    }

    public static async Task<V1.Feedback> SubmitAsync(this FeedbackService.FeedbackServiceClient client, SubmitFeedbackRequest request) =>
        (await client.SubmitFeedbackAsync(request)).Feedback;

    public static async Task<V1.Feedback> AcknowledgeAsync(this FeedbackService.FeedbackServiceClient client, V1.Feedback feedback, string note = "") =>
        (await client.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = feedback.Id, Note = note })).Feedback;

    public static async Task<V1.Feedback> DeclineAsync(this FeedbackService.FeedbackServiceClient client, V1.Feedback feedback, string reason = BudgetReason) =>
        (await client.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = feedback.Id, Reason = reason })).Feedback;

    public static async Task<V1.Feedback> RespondAsync(
        this FeedbackService.FeedbackServiceClient client, V1.Feedback feedback, string response, params string[] toStakeholderIds) =>
        (await client.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, Response = response, Channel = Channel.Email, StakeholderIds = { toStakeholderIds },
        })).Feedback;

    public static CommitmentDraft Draft(string title, DateOnly due) => new()
    {
        Title = title, Owner = "omar.it", DueDate = CommitmentBuilders.Day(due), Direction = CommitmentDirection.ItToBusiness,
    };

    public static async Task<ActionFeedbackResponse> ActionWithNewAsync(
        this FeedbackService.FeedbackServiceClient client, V1.Feedback feedback, string title, DateOnly due) =>
        await client.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = feedback.Id, NewCommitment = Draft(title, due) });
}
