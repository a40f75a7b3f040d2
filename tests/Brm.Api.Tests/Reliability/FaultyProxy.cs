using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// A TCP proxy between the service and PostgreSQL that cuts connections: after a random number of bytes (often in the
/// middle of a message), right before it forwards a <c>COMMIT</c> (the transaction rolls back), and right after it
/// forwarded one, once the server has answered but before the answer reaches the client (the transaction committed,
/// the client sees a broken connection: the ambiguous commit). It reads the PostgreSQL frontend protocol just enough
/// to see a <c>COMMIT</c>: a simple Query ('Q'), a Parse ('P') or the Bind ('B') of a prepared statement whose text is <c>COMMIT</c> (Npgsql 10 under Marten 9
/// sends <c>BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED</c>, the statements, then a simple Query <c>COMMIT</c>), and
/// whether the transaction appended events. Faults are injected only while <see cref="Faulty"/> is on.
/// </summary>
public sealed class FaultyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private int _cuts;
    private int _cutsBeforeCommit;
    private int _cutsAfterCommit;
    private int _armedAfterCommit;

    public FaultyProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether faults are injected (off while a test sets up and checks).</summary>
    public bool Faulty { get; set; }

    /// <summary>The chance that a connection gets a byte budget after which it is cut (each direction counted).</summary>
    public double ByteCutChance { get; set; } = 0.2;

    /// <summary>The chance that a <c>COMMIT</c> of a transaction that appended events is cut before it is forwarded.</summary>
    public double CutBeforeCommitChance { get; set; } = 0.1;

    /// <summary>The chance that such a <c>COMMIT</c> is cut after the server answered it, before the answer is forwarded.</summary>
    public double CutAfterCommitChance { get; set; } = 0.15;

    /// <summary>Connections cut, for any reason.</summary>
    public int Cuts => _cuts;

    public int CutsBeforeCommit => _cutsBeforeCommit;

    public int CutsAfterCommit => _cutsAfterCommit;

    private int _links;

    /// <summary>The SQL run through the proxy, each as "#connection message-type text" (for finding out what a client sends).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string>? Statements { get; set; }

    /// <summary>Cuts the next <c>COMMIT</c> of a transaction that appended events after the server answered it, even with <see cref="Faulty"/> off.</summary>
    public void CutNextAppendAfterCommit() => Interlocked.Exchange(ref _armedAfterCommit, 1);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.RemoveAll(c => c.IsCompleted);
                _connections.Add(Task.Run(() => new Link(this, client).RunAsync()));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
        _stop.Dispose();
    }

    /// <summary>One client connection and its server connection.</summary>
    private sealed class Link(FaultyProxy proxy, TcpClient client)
    {
        private readonly TcpClient _server = new();
        private readonly CancellationTokenSource _cut = CancellationTokenSource.CreateLinkedTokenSource(proxy._stop.Token);
        private long _budget = proxy.Faulty && Random.Shared.NextDouble() < proxy.ByteCutChance ? Random.Shared.Next(1, 40_000) : long.MaxValue;
        private readonly int _id = Interlocked.Increment(ref proxy._links);
        private readonly Dictionary<string, string> _prepared = new(StringComparer.Ordinal); // statement name -> SQL, on this connection
        private volatile bool _swallowReplies;
        private int _closed;

        public async Task RunAsync()
        {
            try
            {
                await _server.ConnectAsync(proxy._upstreamHost, proxy._upstreamPort, _cut.Token);
                await Task.WhenAll(FromClientAsync(), FromServerAsync());
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
            finally
            {
                Close(counted: false);
                client.Dispose();
                _server.Dispose();
                _cut.Dispose();
            }
        }

        /// <summary>Client to server, message by message: the startup packet has no type byte, every later message has one.</summary>
        private async Task FromClientAsync()
        {
            var from = client.GetStream();
            var to = _server.GetStream();
            var appended = false;
            var startup = true;
            while (true)
            {
                byte[] message;
                if (startup)
                {
                    var length = await ReadInt32Async(from, prefix: []);
                    message = await ReadRestAsync(from, length, [.. Int32(length)]);
                    var code = Int32At(message, 4);
                    startup = code is 80877103 or 80877104; // SSLRequest, GSSENCRequest: the startup packet follows
                }
                else
                {
                    var type = await ReadByteAsync(from);
                    var length = await ReadInt32Async(from, prefix: []);
                    message = await ReadRestAsync(from, length + 1, [type, .. Int32(length)]);
                    var sql = Executes(type, message);
                    if (sql is not null)
                    {
                        proxy.Statements?.Enqueue($"#{_id} {(char)type} {sql}");
                        if (Appends(sql))
                        {
                            appended = true;
                        }

                        if (IsCommit(sql))
                        {
                            var appending = appended;
                            appended = false;
                            if (appending && Interlocked.Exchange(ref proxy._armedAfterCommit, 0) == 1)
                            {
                                _swallowReplies = true;
                                Interlocked.Increment(ref proxy._cutsAfterCommit);
                            }
                            else if (appending && proxy.Faulty)
                            {
                                var dice = Random.Shared.NextDouble();
                                if (dice < proxy.CutBeforeCommitChance)
                                {
                                    Interlocked.Increment(ref proxy._cutsBeforeCommit);
                                    Close(counted: true);
                                    return;
                                }

                                if (dice < proxy.CutBeforeCommitChance + proxy.CutAfterCommitChance)
                                {
                                    _swallowReplies = true;
                                    Interlocked.Increment(ref proxy._cutsAfterCommit);
                                }
                            }
                        }
                        else if (sql.StartsWith("ROLLBACK", StringComparison.OrdinalIgnoreCase))
                        {
                            appended = false;
                        }
                    }
                }

                if (!await ForwardAsync(message, to))
                {
                    return;
                }
            }
        }

        /// <summary>Server to client, as it comes; after a COMMIT marked to be cut, the first bytes of its answer end the connection.</summary>
        private async Task FromServerAsync()
        {
            var from = _server.GetStream();
            var to = client.GetStream();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await from.ReadAsync(buffer, _cut.Token);
                if (read == 0)
                {
                    Close(counted: false);
                    return;
                }

                if (_swallowReplies)
                {
                    Close(counted: true);
                    return;
                }

                if (!await ForwardAsync(buffer.AsMemory(0, read), to))
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Forwards <paramref name="bytes"/>, or only those within the byte budget and then cuts: false when cut. The budget
        /// counts only while <see cref="Faulty"/> is on: a connection opened during the faults keeps its budget in the pool,
        /// and a test's own check after them (through the service's store) must not meet its cut (a CI run did, as an
        /// EndOfStreamException in the check).
        /// </summary>
        private async Task<bool> ForwardAsync(ReadOnlyMemory<byte> bytes, NetworkStream to)
        {
            var left = proxy.Faulty ? Interlocked.Add(ref _budget, -bytes.Length) : 0;
            if (left >= 0)
            {
                await to.WriteAsync(bytes, _cut.Token);
                return true;
            }

            var part = (int)Math.Max(0, bytes.Length + left);
            if (part > 0)
            {
                await to.WriteAsync(bytes[..part], _cut.Token);
            }

            Close(counted: true);
            return false;
        }

        private void Close(bool counted)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1)
            {
                return;
            }

            if (counted)
            {
                Interlocked.Increment(ref proxy._cuts);
            }

            // A reset rather than an orderly close: the client sees the connection break, as when the network fails.
            client.Client.LingerState = new LingerOption(true, 0);
            _server.Client.LingerState = new LingerOption(true, 0);
            client.Close();
            _server.Close();
            _cut.Cancel();
        }

        /// <summary>Marten appends with <c>mt_quick_append_events(...)</c> or <c>insert into schema.mt_events</c> (the daemon only reads mt_events).</summary>
        private static bool Appends(string sql) =>
            sql.Contains("mt_quick_append_events", StringComparison.OrdinalIgnoreCase)
            || System.Text.RegularExpressions.Regex.IsMatch(sql, @"insert\s+into\s+\S*mt_events\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

        /// <summary>
        /// The SQL a message from the client runs, or null: a simple Query ('Q'); a Parse ('P') of the unnamed
        /// statement, which the Bind and Execute after it run; a Bind ('B') of a named statement, which runs the SQL
        /// that statement was prepared with. Npgsql's auto-prepare names a statement after a few uses on a connection,
        /// and from then on sends only Bind and Execute for it: without this, a prepared append would go unseen.
        /// </summary>
        private string? Executes(byte type, byte[] message)
        {
            const int body = 5; // type byte + length
            switch (type)
            {
                case (byte)'Q':
                    return Text(message, body);
                case (byte)'P':
                    var name = Text(message, body);
                    var sql = Text(message, body + Encoding.UTF8.GetByteCount(name) + 1);
                    if (name.Length == 0)
                    {
                        return sql;
                    }

                    _prepared[name] = sql;
                    return null;
                case (byte)'B':
                    var portal = Text(message, body);
                    var statement = Text(message, body + Encoding.UTF8.GetByteCount(portal) + 1);
                    return statement.Length > 0 && _prepared.TryGetValue(statement, out var named) ? named : null;
                default:
                    return null;
            }
        }

        private static bool IsCommit(string sql) => sql.Trim().TrimEnd(';').Trim().Equals("COMMIT", StringComparison.OrdinalIgnoreCase);

        private async Task<byte> ReadByteAsync(NetworkStream from)
        {
            var one = new byte[1];
            await from.ReadExactlyAsync(one, _cut.Token);
            return one[0];
        }

        private async Task<int> ReadInt32Async(NetworkStream from, byte[] prefix)
        {
            var four = new byte[4];
            await from.ReadExactlyAsync(four, _cut.Token);
            return Int32At([.. prefix, .. four], prefix.Length);
        }

        private async Task<byte[]> ReadRestAsync(NetworkStream from, int total, byte[] head)
        {
            var message = new byte[total];
            head.CopyTo(message, 0);
            await from.ReadExactlyAsync(message.AsMemory(head.Length), _cut.Token);
            return message;
        }

        private static int Int32At(byte[] bytes, int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];

        private static byte[] Int32(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

        /// <summary>The zero-terminated string at <paramref name="at"/>.</summary>
        private static string Text(byte[] message, int at)
        {
            var end = Array.IndexOf(message, (byte)0, at);
            return Encoding.UTF8.GetString(message, at, (end < 0 ? message.Length : end) - at);
        }
    }
}
