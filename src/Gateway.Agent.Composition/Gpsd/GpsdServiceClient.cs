using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Gateway.Agent.Gpsd;

/// <summary>
/// One client of <see cref="GpsdService"/>: reads its requests (<c>?NAME[=JSON];</c>, gpsd's syntax) and writes its
/// queued lines. The queue is bounded (<see cref="GpsdService.QueueDepth"/>): a client that does not read is closed.
/// </summary>
internal sealed class GpsdServiceClient(GpsdService service, Socket socket) : IDisposable
{
    private readonly Channel<byte[]> _out = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(GpsdService.QueueDepth) { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private volatile bool _watching, _closedFlag;

    /// <summary>After <c>?WATCH</c> with <c>enable</c> true (or absent), until one with false.</summary>
    public bool Watching => _watching;

    /// <summary>Closed (by the service or by the client): no longer offered lines.</summary>
    public bool Closed => _closedFlag;

    /// <summary>Queues a line; false when the client's queue is full.</summary>
    public bool Enqueue(byte[] line) => _out.Writer.TryWrite(line);

    public void Close()
    {
        _closedFlag = true;
        _out.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        Enqueue(service.Replies.Version);
        var writing = WriteAsync(stream, stop.Token);
        try
        {
            await ReadRequestsAsync(stream, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        finally
        {
            Close();
            try
            {
                await writing.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
            }
        }
    }

    private async Task WriteAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await foreach (var line in _out.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadRequestsAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[GpsdService.MaxCommandLength];
        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) return;
            filled += read;
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOfAny((byte)';', (byte)'\n')) >= 0)
            {
                var request = buffer.AsSpan(0, end).Trim(" \t\r\n"u8);
                if (!request.IsEmpty && !Answer(request)) return;
                buffer.AsSpan(end + 1, filled - end - 1).CopyTo(buffer);
                filled -= end + 1;
            }
            if (filled == buffer.Length)
            {
                service.CountBadCommand();
                return;
            }
        }
    }

    /// <summary>Answers one request; false when the client's queue is full (it is closed then).</summary>
    private bool Answer(ReadOnlySpan<byte> request)
    {
        var equals = request.IndexOf((byte)'=');
        var name = equals < 0 ? request : request[..equals];
        if (name.SequenceEqual("?WATCH"u8))
        {
            var enable = equals < 0 || WatchEnables(request[(equals + 1)..]);
            // The replies first, then the stream, as gpsd orders them.
            var queued = Enqueue(service.Replies.Devices) && Enqueue(GpsdServiceReplies.Watch(enable));
            _watching = enable;
            return queued;
        }
        if (name.SequenceEqual("?VERSION"u8)) return Enqueue(service.Replies.Version);
        if (name.SequenceEqual("?DEVICES"u8)) return Enqueue(service.Replies.Devices);
        if (name.SequenceEqual("?POLL"u8))
        {
            var (tpv, sky) = service.Latest();
            return Enqueue(GpsdServiceReplies.Poll(tpv, sky));
        }
        return Enqueue(GpsdServiceReplies.Unrecognized(name));
    }

    /// <summary>gpsd's WATCH object: <c>enable</c> defaults to true; unreadable JSON counts as a plain ?WATCH.</summary>
    private static bool WatchEnables(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("enable"u8))
                    return reader.Read() && reader.TokenType != JsonTokenType.False;
            }
        }
        catch (JsonException)
        {
        }
        return true;
    }

    public void Dispose()
    {
        socket.Dispose();
        _closed.Dispose();
    }
}
