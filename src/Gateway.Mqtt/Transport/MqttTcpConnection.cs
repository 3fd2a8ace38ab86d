using System.IO.Pipelines;
using System.Net.Sockets;

namespace Gateway.Mqtt.Transport;

/// <summary>
/// One TCP connection to a broker, plain or TLS (<see cref="MqttTls"/>), exposed as pipes. Socket and stream errors are mapped here, once, to
/// <see cref="MqttConnectionException"/> (STYLE.md habit 9); nothing above this class sees a SocketException.
/// Threading: one reader and one writer at a time (the session serializes writes); <see cref="Abort"/> may be
/// called from any thread and makes pending reads and writes fail.
/// </summary>
internal sealed class MqttTcpConnection : MqttTransport
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private int _aborted;

    private MqttTcpConnection(Socket socket, Stream stream, string endpoint)
    {
        _socket = socket;
        Endpoint = endpoint;
        _stream = stream;
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public override string Endpoint { get; }
    public override PipeReader Input { get; }
    public override PipeWriter Output { get; }

    /// <summary>Opens the TCP connection; cancellation (including a connect timeout) surfaces as OperationCanceledException.</summary>
    public static async Task<MqttTcpConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken, MqttTls? tls = null)
    {
        var endpoint = $"{host}:{port}";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null) stream = await tls.AuthenticateAsync(stream, host, endpoint, cancellationToken).ConfigureAwait(false);
            return new MqttTcpConnection(socket, stream, endpoint);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            socket.Dispose();
            throw new MqttConnectionException($"Could not connect to the MQTT broker at {endpoint}: {ex.Message}. Check that the broker runs and that Host and Port are right.", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            throw Broken(ex);
        }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted) throw new MqttConnectionException($"The connection to {Endpoint} is closed for writing.");
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            throw Broken(ex);
        }
    }

    /// <summary>Closes the socket at once with a TCP reset (no DISCONNECT is sent, so the broker publishes the will).</summary>
    public override void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            _socket.LingerState = new LingerOption(enable: true, seconds: 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing to reset.
        }
        _socket.Dispose();
    }

    /// <summary>Call after the reading and writing loops have finished.</summary>
    public override async ValueTask DisposeAsync()
    {
        Abort();
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            // Completing flushes what is buffered; the socket is gone, so that data is lost as intended.
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();   // already closed by Abort; disposing twice is harmless
    }

    private static bool IsConnectionError(Exception ex) => ex is IOException or SocketException or ObjectDisposedException;

    private MqttConnectionException Broken(Exception ex) =>
        new($"The connection to the MQTT broker at {Endpoint} broke: {ex.Message}. The client reconnects when started with Start() or ConnectAsync().", ex);
}
