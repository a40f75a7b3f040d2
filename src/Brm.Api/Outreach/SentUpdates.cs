using Brm.Api.Infrastructure;
using Brm.Domain;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Brm.V1;
using Grpc.Core;
using JasperFx.Events;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using Commitment = Brm.Domain.Commitments.Commitment;
using CommunicationPlan = Brm.Domain.CommunicationPlans.CommunicationPlan;
using FeedbackItem = Brm.Domain.Feedback.FeedbackItem;
using Meeting = Brm.Domain.Meetings.Meeting;
using Model = Brm.Domain.Outreach;
using Relationship = Brm.Domain.Relationships.Relationship;
using UpdateFact = Brm.Domain.Outreach.UpdateFact;
using UpdateFactKind = Brm.Domain.Outreach.UpdateFactKind;

namespace Brm.Api.Outreach;

/// <summary>
/// SendUpdate, GetUpdate and ListUpdates. Sending reads everything the decision needs in one round trip (the plan, the
/// commitments and feedback items its facts name, fetched for writing, and its meetings), then appends the update and
/// its effects to their streams and queues the delivery, all in the call's one transaction.
/// </summary>
public sealed class SentUpdates(Mutations mutations, IQuerySession query, PageCursors pages, IUpdateOutbox outbox)
{
    public Task<SendUpdateResponse> Send(SendUpdateRequest request, ServerCallContext context) =>
        mutations.Run(request, request.RequestId, context, async (session, stamp, ct) =>
        {
            var facts = request.Facts.Select(SentUpdateMapping.Fact).Distinct().ToList();
            var streams = await StreamsAsync(session, Id(request.RelationshipId), facts, ct);
            var relationship = streams.Relationship;
            var command = new SendUpdate(
                Guid.CreateVersion7(), Guid.CreateVersion7(), relationship.Id, Id(request.PlanItemId),
                request.Period?.From.ToDomain(), request.Period?.To.ToDomain(), request.Subject.Trim(), request.BodyMarkdown, facts,
                [.. Ids(request.StakeholderIds).Distinct()], [.. request.Addresses], stamp.Actor, stamp.At);
            var sending = UpdateDecider.Decide(command, new UpdateSources(
                relationship, streams.Plan.Aggregate, Aggregates(streams.Commitments), Aggregates(streams.Feedback), streams.Meetings));

            session.Events.StartStream<Model.Update>(sending.Sent.UpdateId, sending.Sent);
            streams.Plan.AppendOne(sending.Communication);
            foreach (var informed in sending.Informed)
            {
                streams.Commitments[informed.CommitmentId].AppendOne(informed);
            }

            foreach (var responded in sending.Responded)
            {
                streams.Feedback[responded.FeedbackId].AppendOne(responded);
            }

            await outbox.EnqueueAsync(session, sending.Sent, ct);
            var update = Model.Update.Fold(null, sending.Sent);
            return new SendUpdateResponse { Update = update.ToProto(), Version = update.Version };
        });

    public async Task<GetUpdateResponse> Get(GetUpdateRequest request, ServerCallContext context)
    {
        var update = await query.GetUpdateAsync(Id(request.UpdateId), context.CancellationToken);
        return new GetUpdateResponse { Update = update.ToProto() };
    }

    public async Task<ListUpdatesResponse> List(ListUpdatesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var relationshipId = Id(request.RelationshipId);
        var filters = $"updates={relationshipId}";
        var after = pages.Read<DateTimeOffset>(request.PageToken, filters, context);
        var size = PageTokens.Size(request.PageSize);
        await query.GetAsync(relationshipId, ct);
        var page = await query.ListUpdatesAsync(relationshipId, after?.Key, after?.Id ?? Guid.Empty, size + 1, ct);

        var response = new ListUpdatesResponse();
        response.Updates.AddRange(page.Take(size).Select(u => u.ToProto(withHtml: false)));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = pages.Write(new PageCursor<DateTimeOffset>(last.SentAt, last.Id), filters, context);
        }

        return response;
    }

    /// <summary>The relationship held, the streams an update may append to (locked), and the meetings it reports, as they stand.</summary>
    private sealed record Streams(
        Relationship Relationship,
        IEventStream<CommunicationPlan> Plan,
        IReadOnlyDictionary<Guid, IEventStream<Commitment>> Commitments,
        IReadOnlyDictionary<Guid, IEventStream<FeedbackItem>> Feedback,
        IReadOnlyDictionary<Guid, Meeting> Meetings);

    /// <summary>
    /// One round trip: the department's relationship held (<see cref="RelationshipHold"/>), then its plan and the
    /// commitments and feedback items the facts name, each stream's row locked FOR UPDATE (in id order, plan first)
    /// just before it is fetched for writing, and the meetings they name.
    /// </summary>
    private static async Task<Streams> StreamsAsync(IDocumentSession session, Guid relationshipId, IReadOnlyList<UpdateFact> facts, CancellationToken ct)
    {
        IEnumerable<Guid> Named(params UpdateFactKind[] kinds) => facts.Where(f => kinds.Contains(f.Kind)).Select(f => f.Id).Distinct().Order();

        var hold = RelationshipHold.Of(relationshipId);
        var batch = session.CreateBatchQuery();
        Task<IEventStream<T>> Locked<T>(Guid id)
            where T : class
        {
            _ = batch.AddItem(StreamRowLock.Exclusive(id));
            return batch.Events.FetchForWriting<T>(id);
        }

        var relationship = hold.AddTo(batch);
        var plan = Locked<CommunicationPlan>(CommunicationPlan.IdFor(relationshipId));
        var commitments = Named(UpdateFactKind.CommitmentDelivered, UpdateFactKind.CommitmentRenegotiated, UpdateFactKind.CommitmentCancelled,
            UpdateFactKind.CommitmentComingDue).ToDictionary(id => id, Locked<Commitment>);
        var feedback = Named(UpdateFactKind.FeedbackActioned, UpdateFactKind.FeedbackDeclined).ToDictionary(id => id, Locked<FeedbackItem>);
        var meetingIds = Named(UpdateFactKind.Meeting).ToArray();
        var meetings = batch.LoadMany<Meeting>().ById(meetingIds);
        await batch.Execute(ct);

        return new Streams(
            hold.Found(await relationship),
            await plan,
            await Completed(commitments),
            await Completed(feedback),
            (await meetings).ToDictionary(m => m.Id));
    }

    private static async Task<IReadOnlyDictionary<Guid, T>> Completed<T>(Dictionary<Guid, Task<T>> fetches)
    {
        var completed = new Dictionary<Guid, T>();
        foreach (var (id, fetch) in fetches)
        {
            completed[id] = await fetch;
        }

        return completed;
    }

    /// <summary>The streams' current states, those that exist.</summary>
    private static Dictionary<Guid, T> Aggregates<T>(IReadOnlyDictionary<Guid, IEventStream<T>> streams)
        where T : class
    {
        var states = new Dictionary<Guid, T>();
        foreach (var (id, stream) in streams)
        {
            if (stream.Aggregate is { } state)
            {
                states[id] = state;
            }
        }

        return states;
    }
}
