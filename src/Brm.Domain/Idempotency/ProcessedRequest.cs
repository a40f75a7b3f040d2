using System.IO.Compression;
using Marten;

namespace Brm.Domain.Idempotency;

/// <summary>
/// The first answer to a mutation that carried a request id (AIP-155). It is inserted in the same
/// transaction as the mutation's events, so either both commit or neither does; its primary key makes a
/// racing duplicate fail instead of appending twice. It is kept for <see cref="DefaultRetention"/> (or what the
/// host configures) and then deleted by <see cref="DeleteExpiredAsync"/>: a request id repeated after that is a new request.
/// </summary>
/// <param name="Id">The client's request id.</param>
/// <param name="Operation">The RPC it answered, e.g. <c>/brm.v1.RelationshipService/RenameDepartment</c>.</param>
/// <param name="Fingerprint">A hash of the request, so that a reused id with another request is refused.</param>
/// <param name="Response">The serialized answer, Brotli-compressed (<see cref="Answer"/> gives the very bytes back).</param>
/// <param name="ProcessedAt">When the first call was answered.</param>
/// <param name="Quotes">
/// Every id the answer carries (a stakeholder's, a relationship's...): the answer quotes what those ids name, so
/// erasing a stakeholder blanks exactly the answers that carry their id (<see cref="BlankAnswersQuoting"/>).
/// </param>
/// <param name="Erased">
/// The answer quoted personal data that has since been erased: <see cref="Response"/> and
/// <see cref="Fingerprint"/> are blank, and a repeat of the request is refused rather than run again.
/// </param>
public sealed record ProcessedRequest(
    Guid Id, string Operation, string Fingerprint, byte[] Response, DateTimeOffset ProcessedAt, Guid[] Quotes, bool Erased = false)
{
    /// <summary>How long an answer is kept when the host does not say (AIP-155 lets a server expire request ids).</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// The PostgreSQL advisory lock (transaction-scoped) that lets one node at a time delete expired answers, when
    /// several share the database.
    /// </summary>
    public const long CleanupLockKey = 0x62726D_7265715F; // "brm req_"

    /// <summary>The record of a first answer, compressed, with the ids it quotes.</summary>
    public static ProcessedRequest Of(
        Guid id, string operation, string fingerprint, byte[] answer, IEnumerable<Guid> quotes, DateTimeOffset processedAt)
    {
        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Fastest))
        {
            brotli.Write(answer);
        }

        return new ProcessedRequest(id, operation, fingerprint, compressed.ToArray(), processedAt, [.. quotes.Distinct()]);
    }

    /// <summary>The answer's bytes as they were first sent.</summary>
    public byte[] Answer()
    {
        using var brotli = new BrotliStream(new MemoryStream(Response), CompressionMode.Decompress);
        using var answer = new MemoryStream();
        brotli.CopyTo(answer);
        return answer.ToArray();
    }

    /// <summary>Blanks, in <paramref name="session"/>, every stored answer that carries <paramref name="stakeholderId"/>.</summary>
    public static void BlankAnswersQuoting(IDocumentSession session, Guid stakeholderId) =>
        session.QueueSqlCommand(
            $"""
            update {BrmDomain.Schema}.mt_doc_processedrequest
            set data = data || jsonb_build_object('Response', '', 'Fingerprint', '', 'Erased', true)
            where data -> 'Quotes' @> jsonb_build_array(?::text)
            """,
            stakeholderId.ToString());

    /// <summary>
    /// Deletes the answers given before <paramref name="before"/> (and any record stored before answers were
    /// compressed, which has no <see cref="Quotes"/>), in one statement that first takes <see cref="CleanupLockKey"/>:
    /// the number deleted, or null when another node holds the lock (it is deleting them).
    /// </summary>
    public static async Task<int?> DeleteExpiredAsync(IQuerySession session, DateTimeOffset before, CancellationToken ct)
    {
        var deleted = await session.QueryAsync<int>(
            $"""
            with guard as (select pg_try_advisory_xact_lock(?) as held),
            deleted as (
                delete from {BrmDomain.Schema}.mt_doc_processedrequest
                where (select held from guard) and (processed_at < ? or data -> 'Quotes' is null)
                returning 1)
            select case when (select held from guard) then (select count(*) from deleted)::int else -1 end
            """,
            ct,
            CleanupLockKey,
            before);
        return deleted.Single() is var count and >= 0 ? count : null;
    }
}
