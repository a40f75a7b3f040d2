namespace Brm.Domain.Feedback;

/// <summary>
/// A request for feedback, as the BRM sent it: the state its decision reads and, stored inline, the document
/// answers are checked against and the response rate counts from. Answers are feedback items that name it.
/// </summary>
public sealed record FeedbackRequest(
    Guid Id,
    Guid RelationshipId,
    IReadOnlyList<Guid> AudienceStakeholderIds,
    Channel Channel,
    FeedbackSubject About,
    string? Question,
    FeedbackScale Scale,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    long Version) : IEventSourced<FeedbackRequest>
{
    public FeedbackRequest WithVersion(long version) => this with { Version = version };

    /// <summary>
    /// How many of the audience answered: each audience member answering under their name once, each anonymous
    /// answer once, never more than were asked.
    /// </summary>
    public int Responses(IEnumerable<FeedbackItem> answers)
    {
        var list = answers.Where(a => a.FeedbackRequestId == Id).ToList();
        var named = list.Where(a => a.FromStakeholderId is { } who && AudienceStakeholderIds.Contains(who)).Select(a => a.FromStakeholderId).Distinct().Count();
        return Math.Min(AudienceStakeholderIds.Count, named + list.Count(a => a.IsAnonymous));
    }

    /// <summary><see cref="Responses"/> ÷ the audience; null for an empty audience.</summary>
    public double? ResponseRate(IEnumerable<FeedbackItem> answers) =>
        AudienceStakeholderIds.Count == 0 ? null : (double)Responses(answers) / AudienceStakeholderIds.Count;

    public static FeedbackRequest Fold(FeedbackRequest? state, object @event) => (state, @event) switch
    {
        (null, FeedbackRequested e) => new FeedbackRequest(
            e.FeedbackRequestId, e.RelationshipId, e.AudienceStakeholderIds, e.Channel, e.About, e.Question, e.Scale, e.RequestedAt, e.RequestedBy, 1),
        (null, _) => throw new InvalidOperationException($"A feedback request stream cannot start with {@event.GetType().Name}."),
        ({ } s, _) => s,
    };
}
