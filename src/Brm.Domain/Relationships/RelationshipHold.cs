using System.Data.Common;
using Marten.Services.BatchQuerying;
using Marten.Linq.QueryHandlers;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Brm.Domain.Relationships;

/// <summary>
/// The relationship a decision on another stream (a meeting, a commitment, feedback) reads and holds: named by id, or by
/// the item whose stream the decision appends to (its inline document's <c>relationship_id</c> column, which never
/// changes), so that the decision needs no read of the item first. <see cref="AddTo"/> adds the hold to a batch query as
/// two statements, in this order: FOR SHARE on the relationship's stream row (held until the session's transaction
/// ends), then its document, read after the lock (a statement of its own, so with a snapshot taken after any erasure
/// it waited for committed). Erasing a stakeholder holds that row exclusively: it either waits for the write that holds
/// it to commit and then erases what it wrote, or commits first and the decision reads the erased state.
/// </summary>
public sealed class RelationshipHold
{
    private readonly Guid id;
    private readonly string? itemTable;
    private readonly string missing;

    private RelationshipHold(Guid id, string? itemTable, string missing)
    {
        this.id = id;
        this.itemTable = itemTable;
        this.missing = missing;
    }

    public static RelationshipHold Of(Guid relationshipId) => new(relationshipId, null, $"relationship {relationshipId} was not found");

    public static RelationshipHold OfMeeting(Guid meetingId) => new(meetingId, "mt_doc_meeting", $"meeting {meetingId} was not found");

    public static RelationshipHold OfCommitment(Guid commitmentId) => new(commitmentId, "mt_doc_commitment", $"commitment {commitmentId} was not found");

    public static RelationshipHold OfFeedback(Guid feedbackId) => new(feedbackId, "mt_doc_feedbackitem", $"feedback {feedbackId} was not found");

    public static RelationshipHold OfFeedbackRequest(Guid requestId) =>
        new(requestId, "mt_doc_feedbackrequest", $"request for feedback {requestId} was not found");

    /// <summary>Adds the lock and the read to <paramref name="batch"/>; the read is null when the relationship (or the item) does not exist.</summary>
    public Task<Relationship?> AddTo(IBatchedQuery batch)
    {
        _ = batch.AddItem(StreamRowLock.Shared(this));
        return batch.AddItem(new Read(this));
    }

    /// <summary>The relationship read, or NOT_FOUND naming what the hold was asked for (the relationship, or the item).</summary>
    public Relationship Found(Relationship? relationship) => relationship ?? throw DomainException.NotFound(missing);

    /// <summary>The relationship's id as SQL: the parameter, or the item document's column.</summary>
    internal void AppendId(ICommandBuilder builder)
    {
        if (itemTable is null)
        {
            builder.AppendParameter(id);
            return;
        }

        builder.Append($"(select relationship_id from {BrmDomain.Schema}.{itemTable} where id = ");
        builder.AppendParameter(id);
        builder.Append(")");
    }

    /// <summary>The relationship's document, deserialized with the session's serializer as Marten's own load would.</summary>
    private sealed class Read(RelationshipHold hold) : IQueryHandler<Relationship?>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            builder.Append($"select data from {BrmDomain.Schema}.mt_doc_relationship where id = ");
            hold.AppendId(builder);
        }

        public async Task<Relationship?> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token) =>
            await reader.ReadAsync(token) ? await session.Serializer.FromJsonAsync<Relationship>(reader, 0, token) : null;

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();
    }
}
