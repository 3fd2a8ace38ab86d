using System.IO.Pipelines;
using Gateway.Mqtt;
using Gateway.Mqtt.Transport;

namespace Gateway.TestKit.Mqtt;

/// <summary>
/// The client's end of an in-memory connection: what the client flushes to <see cref="Output"/> the broker reads from
/// <see cref="ToBroker"/>, and what the broker writes to <see cref="ToClient"/> the client reads from <see cref="Input"/>.
/// <see cref="Abort"/> (either side) breaks both directions the way a reset TCP connection does.
/// </summary>
public sealed class PipeTransport : MqttTransport
{
    private readonly Pipe _toClient = new();
    private readonly Pipe _toBroker = new();
    private int _aborted;

    public PipeTransport(string endpoint) => Endpoint = endpoint;

    public override string Endpoint { get; }
    public override PipeReader Input => _toClient.Reader;
    public override PipeWriter Output => _toBroker.Writer;

    /// <summary>The broker's side: reads what the client sent.</summary>
    public PipeReader ToBroker => _toBroker.Reader;

    /// <summary>The broker's side: writes what the client will read.</summary>
    public PipeWriter ToClient => _toClient.Writer;

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            throw new MqttConnectionException($"The in-memory connection to {Endpoint} broke: {ex.Message}", ex);
        }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        FlushResult result;
        try
        {
            result = await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            throw new MqttConnectionException($"The in-memory connection to {Endpoint} broke: {ex.Message}", ex);
        }
        if (result.IsCompleted) throw new MqttConnectionException($"The in-memory connection to {Endpoint} is closed for writing.");
    }

    public override void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        var reset = new IOException("connection reset");
        _toClient.Writer.Complete(reset);
        _toBroker.Reader.Complete(reset);
        _toBroker.Writer.CancelPendingFlush();
        _toClient.Reader.CancelPendingRead();
    }

    public override ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }
}
