using System.Data.Common;
using Brm.Domain.Relationships;
using Marten.Linq.QueryHandlers;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Brm.Domain;

/// <summary>
/// Locks a stream's row in <c>mt_streams</c> as one statement of a Marten batch query, until the session's transaction
/// ends: exclusively (FOR UPDATE) against every other holder, or shared (FOR SHARE) with other sharers and against an
/// exclusive holder. The statements after it in the same batch each take a new snapshot (READ COMMITTED), so they see
/// what the holder before it committed: statement order in the batch is lock order. (Marten's FetchForExclusiveWriting
/// would begin a transaction of its own, which a session on an external transaction with connection tracing refuses.)
/// The session's transaction must already be open (every mutation's is): outside one, the lock would end with the statement.
/// </summary>
public sealed class StreamRowLock : IQueryHandler<bool>
{
    private readonly Guid streamId;
    private readonly bool exclusive;
    private readonly RelationshipHold? owner;

    private StreamRowLock(Guid streamId, bool exclusive, RelationshipHold? owner)
    {
        this.streamId = streamId;
        this.exclusive = exclusive;
        this.owner = owner;
    }

    /// <summary>FOR UPDATE on the stream's row: the lock every write takes on the stream it appends to.</summary>
    public static StreamRowLock Exclusive(Guid streamId) => new(streamId, exclusive: true, owner: null);

    /// <summary>FOR SHARE on the stream's row: the lock a write takes on a relationship it reads but does not append to.</summary>
    public static StreamRowLock Shared(Guid streamId) => new(streamId, exclusive: false, owner: null);

    /// <summary>FOR SHARE on the row of the relationship <paramref name="hold"/> names (by id, or by an item's document).</summary>
    public static StreamRowLock Shared(RelationshipHold hold) => new(Guid.Empty, exclusive: false, hold);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        builder.Append($"select 1 from {BrmDomain.Schema}.mt_streams where id = ");
        if (owner is null)
        {
            builder.AppendParameter(streamId);
        }
        else
        {
            owner.AppendId(builder);
        }

        builder.Append(exclusive ? " for update" : " for share");
    }

    public async Task<bool> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token) => await reader.ReadAsync(token);

    public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();
}
