using Brm.Domain;
using Brm.Domain.Relationships;
using Marten;
using Marten.Services;
using Npgsql;

namespace Brm.Api.Tests.Support;

/// <summary>
/// An append whose transaction draws its global position now and commits only when told: the case where an
/// event with a lower position becomes visible after events with higher ones.
/// </summary>
public sealed class HeldAppend : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private HeldAppend(NpgsqlConnection connection, NpgsqlTransaction transaction, long position)
    {
        _connection = connection;
        _transaction = transaction;
        Position = position;
    }

    public long Position { get; }

    public static async Task<HeldAppend> StartAsync(IDocumentStore store, string connectionString, Guid relationshipId)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.Events.Append(relationshipId, new DepartmentRenamed(relationshipId, "Held back", "test", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await using var command = new NpgsqlCommand(
            $"select max(seq_id) from {BrmDomain.Schema}.mt_events where stream_id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", relationshipId);
        var position = (long)(await command.ExecuteScalarAsync())!;
        return new HeldAppend(connection, transaction, position);
    }

    public Task CommitAsync() => _transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
