using Marten;

namespace Brm.Domain.Idempotency;

/// <summary>
/// The first answer to a mutation that carried a request id (AIP-155). It is inserted in the same
/// transaction as the mutation's events, so either both commit or neither does; its primary key makes a
/// racing duplicate fail instead of appending twice.
/// </summary>
/// <param name="Id">The client's request id.</param>
/// <param name="Operation">The RPC it answered, e.g. <c>/brm.v1.RelationshipService/RenameDepartment</c>.</param>
/// <param name="Fingerprint">A hash of the request, so that a reused id with another request is refused.</param>
/// <param name="Response">The serialized answer.</param>
/// <param name="ProcessedAt">When the first call was answered.</param>
/// <param name="Erased">
/// The answer quoted personal data that has since been erased: <see cref="Response"/> and
/// <see cref="Fingerprint"/> are blank, and a repeat of the request is refused rather than run again.
/// </param>
public sealed record ProcessedRequest(
    Guid Id, string Operation, string Fingerprint, byte[] Response, DateTimeOffset ProcessedAt, bool Erased = false)
{
    /// <summary>
    /// Blanks, in <paramref name="session"/>, every stored answer whose bytes contain one of <paramref name="texts"/>
    /// (protobuf keeps strings as plain UTF-8, so a quoted name is found as it is).
    /// </summary>
    public static void BlankAnswersContaining(IDocumentSession session, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            session.QueueSqlCommand(
                $"""
                update {BrmDomain.Schema}.mt_doc_processedrequest
                set data = data || jsonb_build_object('Response', '', 'Fingerprint', '', 'Erased', true)
                where position(convert_to(?, 'UTF8') in decode(data ->> 'Response', 'base64')) > 0
                """,
                text);
        }
    }
}
