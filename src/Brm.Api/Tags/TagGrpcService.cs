using Brm.Api.Infrastructure;
using Brm.Domain;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.Domain.Tags;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using Commitment = Brm.Domain.Commitments.Commitment;
using Meeting = Brm.Domain.Meetings.Meeting;
using Relationship = Brm.Domain.Relationships.Relationship;

namespace Brm.Api.Tags;

/// <summary>brm.v1.TagService: the item the target names, its decision (<see cref="TagDecider"/>), its tags after.</summary>
public sealed class TagGrpcService(Mutations mutations, IQuerySession query) : TagService.TagServiceBase
{
    public override Task<AddTagsResponse> AddTags(AddTagsRequest request, ServerCallContext context) =>
        Change(request, context, add: true, (tags, version) => new AddTagsResponse { Target = request.Target, Tags = { tags }, Version = version });

    public override Task<RemoveTagsResponse> RemoveTags(RemoveTagsRequest request, ServerCallContext context) =>
        Change(request, context, add: false, (tags, version) => new RemoveTagsResponse { Target = request.Target, Tags = { tags }, Version = version });

    public override async Task<ListTagsResponse> ListTags(ListTagsRequest request, ServerCallContext context)
    {
        var counts = await query.TagCountsAsync([.. request.RelationshipIds.Select(Id).Distinct()], context.CancellationToken);
        var response = new ListTagsResponse();
        response.Tags.AddRange(counts.GroupBy(c => c.Tag).Select(tag => new TagUse
        {
            Tag = tag.Key,
            Count = tag.Sum(c => c.Count),
            Kinds = { tag.OrderBy(c => c.Kind).Select(c => new TagKindCount { Kind = (V1.TaggedKind)(int)c.Kind, Count = c.Count }) },
        }));
        return response;
    }

    private Task<TResponse> Change<TResponse>(
        ITagMutation request, ServerCallContext context, bool add, Func<IReadOnlyList<string>, long, TResponse> respond)
        where TResponse : class, IMessage<TResponse>, new() =>
        mutations.Run(request, request.RequestId, context, async (session, stamp, ct) =>
        {
            var change = new TagChange(add, [.. request.Tags], stamp.Actor, stamp.At);
            var (tags, version) = await DecideAsync(session, request.Target, change, request.Expected(), ct);
            return respond(tags, version);
        });

    // Each document is loaded first: an id of something else (or nothing) is NOT_FOUND before its stream is read.
    private static async Task<(IReadOnlyList<string> Tags, long Version)> DecideAsync(
        IDocumentSession session, TagTarget target, TagChange change, long? expected, CancellationToken ct)
    {
        switch (target.TargetCase)
        {
            case TagTarget.TargetOneofCase.RelationshipId:
            {
                var relationship = await session.GetAsync(Id(target.RelationshipId), ct);
                var decided = await session.Decide<Relationship>(relationship.Id, expected, r => TagDecider.Department(change, r!), ct);
                return (decided.State.Tags, decided.Version);
            }

            case TagTarget.TargetOneofCase.Stakeholder:
            {
                var relationship = await session.GetAsync(Id(target.Stakeholder.RelationshipId), ct);
                var stakeholderId = Id(target.Stakeholder.StakeholderId);
                var decided = await session.Decide<Relationship>(
                    relationship.Id, expected, r => TagDecider.Stakeholder(change, r!, stakeholderId), ct);
                return (decided.State.Stakeholders.Single(s => s.Id == stakeholderId).Tags, decided.Version);
            }

            case TagTarget.TargetOneofCase.MeetingId:
            {
                var meeting = await session.GetMeetingAsync(Id(target.MeetingId), ct);
                var decided = await session.Decide<Meeting>(meeting.Id, expected, m => TagDecider.Meeting(change, m!), ct);
                return (decided.State.Tags, decided.Version);
            }

            case TagTarget.TargetOneofCase.CommitmentId:
            {
                var commitment = await session.GetCommitmentAsync(Id(target.CommitmentId), ct);
                var decided = await session.Decide<Commitment>(commitment.Id, expected, c => TagDecider.Commitment(change, c!), ct);
                return (decided.State.Tags, decided.Version);
            }

            default:
            {
                var feedback = await session.GetFeedbackAsync(Id(target.FeedbackId), ct);
                var decided = await session.Decide<FeedbackItem>(feedback.Id, expected, f => TagDecider.Feedback(change, f!), ct);
                return (decided.State.Tags, decided.Version);
            }
        }
    }
}
