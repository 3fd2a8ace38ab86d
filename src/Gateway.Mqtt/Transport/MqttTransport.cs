using System.IO.Pipelines;

namespace Gateway.Mqtt.Transport;

/// <summary>
/// The byte stream under the MQTT client, and the seam where it can be replaced (STYLE.md habit 17; MQTTnet's
/// <c>IMqttChannel</c> and NATS.Net's <c>INatsSocketConnection</c> are the models). The client only encodes packets
/// into <see cref="Output"/> and decodes them from <see cref="Input"/>; everything it does on failure (reconnect,
/// resend, refusing a publish) is therefore testable with a transport that fails on cue, such as the scripted broker
/// in the test kit. <see cref="MqttClientOptions.TransportFactory"/> supplies one; the default is TCP, or TLS with
/// <see cref="MqttClientOptions.Tls"/>.
/// </summary>
/// <remarks>
/// Contract for implementations: errors of the underlying stream leave <see cref="ReadAsync"/> and
/// <see cref="FlushAsync"/> as <see cref="MqttConnectionException"/> (mapped once, here, STYLE.md habit 9); a
/// closed write side makes <see cref="FlushAsync"/> throw it too. One reader and one writer at a time (the client
/// serializes writes); <see cref="Abort"/> may be called from any thread and makes pending reads and writes fail;
/// <see cref="DisposeAsync"/> comes after the client's loops have finished.
/// </remarks>
public abstract class MqttTransport : IAsyncDisposable
{
    /// <summary>Where this transport leads, for messages ("host:port").</summary>
    public abstract string Endpoint { get; }

    /// <summary>Bytes from the broker. Read through <see cref="ReadAsync"/>; advance as usual.</summary>
    public abstract PipeReader Input { get; }

    /// <summary>Encode packets here, then <see cref="FlushAsync"/>. Callers must not write concurrently.</summary>
    public abstract PipeWriter Output { get; }

    /// <summary>Reads from <see cref="Input"/>; a broken stream surfaces as <see cref="MqttConnectionException"/>.</summary>
    public abstract ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Sends what was written to <see cref="Output"/>; a broken or closed stream surfaces as <see cref="MqttConnectionException"/>.</summary>
    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Closes at once, without a DISCONNECT (so the broker publishes the will).</summary>
    public abstract void Abort();

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
