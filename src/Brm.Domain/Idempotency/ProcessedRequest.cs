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
public sealed record ProcessedRequest(Guid Id, string Operation, string Fingerprint, byte[] Response, DateTimeOffset ProcessedAt);
