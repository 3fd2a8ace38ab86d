using System.Threading.Channels;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// The client lives in Session/ with the other session code but keeps the root namespace: Gateway.Mqtt.MqttClient is
// the public API the agent and the ingest are written against.
namespace Gateway.Mqtt;

/// <summary>
/// MQTT 3.1.1 / 5.0 client over TCP or TLS with QoS 0/1/2 publish and subscribe, keep-alive, flow control and
/// automatic reconnect with backoff. QoS 1/2 publishes survive reconnects: unacknowledged ones are re-sent first and
/// in order ([MQTT-4.4.0-1]). Split by concern: Connect, Publish, Send, Acks, Subscribe, Receive, KeepAlive, Reconnect.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttPacketReader _packetReader;
    private readonly PacketIdAllocator _packetIds = new();
    private readonly Lock _gate = new();
    private readonly Channel<MqttMessage> _messages;
    private readonly string _endpoint;
    private readonly Transport.MqttTls? _tls;

    // QoS 2 messages received and answered with PUBREC, until their PUBREL (guarded by _gate). Part of the session
    // state: kept across reconnects with a session, so a re-sent PUBLISH is not delivered twice (section 4.3.3, method B).
    private readonly HashSet<ushort> _inboundQos2 = [];
    private string _clientId;

    private TaskCompletionSource _connectedSignal = NewSignal();
    private ClientConnection? _connection;
    private long _connectionIds;
    private CancellationTokenSource? _stop;
    private Task? _supervisor;
    private bool _connecting;
    private int _disposed;

    /// <summary>Validates <paramref name="options"/> (an <see cref="ArgumentException"/> names the first bad one); does not
    /// connect: call Start for the background connection loop, or ConnectAsync once.</summary>
    /// <param name="options">The broker, identity, limits and clock; kept for the client's lifetime.</param>
    /// <param name="logger">Connection events (one line each, quiet otherwise); none when null.</param>
    public MqttClient(MqttClientOptions options, ILogger<MqttClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _endpoint = $"{options.Host}:{options.Port}";
        _packetReader = new MqttPacketReader(options.MaxPacketSize, options.ProtocolVersion);
        _clientId = options.ClientId;
        _tls = options.Tls is null ? null : new Transport.MqttTls(options.Tls);
        // Wait, never drop: a full queue stops the reader loop, which stops reading the socket (TCP back-pressure).
        _messages = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.InboundCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _outbox = Channel.CreateBounded<PublishRecord>(new BoundedChannelOptions(options.MaxPendingPublishes)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Whether a connection is up now (a snapshot: it may drop the next moment).</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is { IsClosed: false };

    /// <summary>Counters of publishes, acknowledgements, reconnects and bytes since the client was created.</summary>
    public MqttClientStatistics Statistics { get; } = new();

    /// <summary>The client id in use: the configured one, or the one a 5.0 broker assigned to an empty id.</summary>
    public string ClientId
    {
        get { lock (_gate) return _clientId; }
    }

    /// <summary>3.1.1 or 5.0, as configured, for every connection.</summary>
    public MqttProtocolVersion ProtocolVersion => _options.ProtocolVersion;

    /// <summary>Raised on the thread pool after every accepted CONNACK; handlers may publish and subscribe.</summary>
    public event EventHandler<MqttConnectedEventArgs>? Connected;

    /// <summary>Raised on the thread pool when an established connection ends.</summary>
    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>Raised on the thread pool after each failed connection attempt of the background loop (Start).</summary>
    public event EventHandler<MqttConnectFailedEventArgs>? ConnectFailed;

    /// <summary>Received application messages; bounded by InboundCapacity; completed by DisposeAsync.</summary>
    public ChannelReader<MqttMessage> Messages => _messages.Reader;

    /// <summary>Completes when the client is connected (at once if it is).</summary>
    public Task WaitConnectedAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate) return _connectedSignal.Task.WaitAsync(ct);
    }

    /// <summary>Stops the client: sends DISCONNECT (so the broker discards the will), closes the connection and completes
    /// <see cref="Messages"/>; publishes not yet acknowledged fail. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync(sendDisconnect: true, CancellationToken.None).ConfigureAwait(false);
        _messages.Writer.TryComplete();
        FailAllPublishes(new ObjectDisposedException(nameof(MqttClient), "The MQTT client was disposed before the message was acknowledged."));
        lock (_gate) _connectedSignal.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClientConnection RequireConnection() =>
        Volatile.Read(ref _connection) is { IsClosed: false } c ? c : throw new MqttConnectionException("The client is not connected.");

    private async Task<ClientConnection> WaitConnectionAsync(CancellationToken ct)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (Volatile.Read(ref _connection) is { IsClosed: false } c) return c;
            await WaitConnectedAsync(ct).ConfigureAwait(false);
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args, string name)
        where T : EventArgs
    {
        if (handler is null) return;
        // Off the I/O loops: a handler that publishes and awaits the PUBACK must not block the loop that reads it.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            try { handler(this, args); }
            catch (Exception ex) { MqttClientLog.HandlerFailed(_logger, ex, name); }
        });
    }
}
