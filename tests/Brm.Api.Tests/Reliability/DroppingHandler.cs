namespace Brm.Api.Tests.Reliability;

/// <summary>
/// An HTTP handler whose next response body breaks like a dropped connection: after <see cref="DropAfterBytes"/>
/// bytes (anywhere, also in the middle of a message) the next read fails with an <see cref="IOException"/>, and the
/// body is disposed, which aborts the request on the server as a reset connection does.
/// </summary>
public sealed class DroppingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>How many bytes of the response body get through; null: all of them.</summary>
    public long? DropAfterBytes { get; set; }

    /// <summary>Whether a body was cut.</summary>
    public bool Dropped { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (DropAfterBytes is not { } limit)
        {
            return response;
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var cut = new StreamContent(new DroppingStream(body, limit, () => Dropped = true));
        foreach (var header in response.Content.Headers)
        {
            cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = cut;
        return response;
    }

    private sealed class DroppingStream(Stream inner, long limit, Action dropped) : Stream
    {
        private long _left = limit;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left <= 0)
            {
                dropped();
                await inner.DisposeAsync(); // the HTTP/2 stream is reset, as a dropped connection would end it
                throw new IOException("The connection was dropped (test fault).");
            }

            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken);
            _left -= read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
