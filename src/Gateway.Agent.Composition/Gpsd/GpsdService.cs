using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Gateway.Devices.NmeaGps;
using Microsoft.Extensions.Logging;
using Gateway.Core.Counters;

namespace Gateway.Agent.Gpsd;

/// <summary>
/// A minimal gpsd on loopback, so that <c>cgps</c> and <c>gpspipe -w</c> work against a gateway whose agent owns the
/// receiver (profile: the gps source's <c>gpsdPort</c>). It speaks gpsd's protocol 3 (gpsd_json(5)): a VERSION on
/// connect; <c>?WATCH</c> (answered with DEVICES and WATCH) and then one TPV per receiver cycle and a SKY when the
/// cycle had a sky view; <c>?POLL</c>, <c>?VERSION</c>, <c>?DEVICES</c>; anything else gets an ERROR. TPV/SKY are
/// <see cref="GpsdJsonWriter"/>'s, the same lines as <c>gatewayctl gps replay --sky</c>.
/// </summary>
/// <remarks>
/// Bounded against its clients, which are local tools but still input: at most <see cref="MaxClients"/> at once (more
/// are closed at once), commands of at most <see cref="MaxCommandLength"/> bytes (a longer one closes the client), and a
/// client that reads too slowly for <see cref="QueueDepth"/> lines is closed rather than buffered for. Each is counted
/// and logged once. Lines are formatted only while someone watches. Binds 127.0.0.1 only: never the site's network.
/// </remarks>
public sealed partial class GpsdService : IDisposable
{
    /// <summary>Clients served at once (cgps, gpspipe); a ninth is closed at once and counted.</summary>
    internal const int MaxClients = 8;

    /// <summary>Longest command line in bytes (gpsd's <c>?WATCH={...}</c> is well under it); longer closes the client.</summary>
    internal const int MaxCommandLength = 1024;

    /// <summary>Lines queued per client (about half a minute of TPV and SKY at 1 Hz); a client further behind is closed, not buffered for.</summary>
    internal const int QueueDepth = 64;

    private readonly TcpListener _listener;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<GpsdServiceClient> _clients = [];
    private readonly ArrayBufferWriter<byte> _format = new(4096);
    private byte[]? _lastTpv, _lastSky;
    private bool _loggedRefusal, _loggedBadCommand, _loggedSlow;
    private readonly AtomicCounter _refused = new();
    private readonly AtomicCounter _badCommands = new();
    private readonly AtomicCounter _slowClients = new();
    private readonly AtomicCounter _served = new();

    /// <param name="port">The loopback port; 0 takes a free one (tests), see <see cref="Port"/>.</param>
    /// <param name="devicePath">The receiver's serial port, named in DEVICES as gpsd would.</param>
    /// <param name="logger">Logs each kind of refused client once.</param>
    public GpsdService(int port, string devicePath, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(devicePath);
        ArgumentNullException.ThrowIfNull(logger);
        _listener = new TcpListener(IPAddress.Loopback, port);
        _logger = logger;
        Replies = new GpsdServiceReplies(devicePath);
    }

    internal GpsdServiceReplies Replies { get; }

    /// <summary>The bound port, after <see cref="Start"/>.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Clients closed because <see cref="MaxClients"/> were connected.</summary>
    public long Refused => _refused.Value;

    /// <summary>Clients closed for a command over <see cref="MaxCommandLength"/> bytes.</summary>
    public long BadCommands => _badCommands.Value;

    /// <summary>Clients closed because they did not read their lines.</summary>
    public long SlowClients => _slowClients.Value;

    /// <summary>Clients served (connected and sent the VERSION).</summary>
    public long Served => _served.Value;

    /// <summary>Binds the port; an <see cref="IOException"/> with what to do when it is taken.</summary>
    public void Start()
    {
        try
        {
            _listener.Start(MaxClients);
        }
        catch (SocketException ex)
        {
            throw new IOException(
                $"cannot serve gpsd's protocol on 127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}: {ex.Message}; is a gpsd running on this gateway (it owns 2947)? Set the gps source's \"gpsdPort\" to a free port (e.g. 2948), or stop that gpsd",
                ex);
        }
    }

    /// <summary>Accepts clients until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
                GpsdServiceClient? client = null;
                lock (_gate)
                {
                    if (_clients.Count < MaxClients) _clients.Add(client = new GpsdServiceClient(this, socket));
                }
                if (client is null)
                {
                    socket.Dispose();
                    _refused.Increment();
                    if (!_loggedRefusal) LogRefused(_logger, Port, MaxClients);
                    _loggedRefusal = true;
                    continue;
                }
                _served.Increment();
                running.Add(ServeAsync(client, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _listener.Stop();
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A receiver cycle (<see cref="NmeaGpsSource.CycleCompleted"/>): formatted once as TPV (and SKY) and queued to
    /// every watching client. On the source's reading task.
    /// </summary>
    public void OnCycle(in NmeaFix fix, ReadOnlySpan<NmeaSatellite> satellites)
    {
        lock (_gate)
        {
            _format.ResetWrittenCount();
            GpsdJsonWriter.WriteTpv(_format, fix);
            _lastTpv = _format.WrittenSpan.ToArray();
            _lastSky = null;
            if (!satellites.IsEmpty || fix.Hdop is not null)
            {
                _format.ResetWrittenCount();
                GpsdJsonWriter.WriteSky(_format, fix, satellites);
                _lastSky = _format.WrittenSpan.ToArray();
            }
            foreach (var client in _clients)
            {
                if (!client.Watching || client.Closed) continue;
                if (client.Enqueue(_lastTpv) && (_lastSky is null || client.Enqueue(_lastSky))) continue;
                _slowClients.Increment();
                if (!_loggedSlow) LogSlow(_logger, Port, QueueDepth);
                _loggedSlow = true;
                client.Close();
            }
        }
    }

    /// <summary>The latest TPV and SKY lines (without their newline), for ?POLL.</summary>
    internal (byte[]? Tpv, byte[]? Sky) Latest()
    {
        lock (_gate) return (_lastTpv, _lastSky);
    }

    internal void CountBadCommand()
    {
        _badCommands.Increment();
        if (!_loggedBadCommand) LogBadCommand(_logger, Port, MaxCommandLength);
        _loggedBadCommand = true;
    }

    private async Task ServeAsync(GpsdServiceClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _clients.Remove(client);
            client.Dispose();
        }
    }

    /// <summary>Stops listening and closes the clients (their tasks end in <see cref="RunAsync"/>).</summary>
    public void Dispose()
    {
        _listener.Dispose();
        List<GpsdServiceClient> clients;
        lock (_gate) clients = [.. _clients];
        foreach (var c in clients) c.Close();
    }

    [LoggerMessage(EventId = 5260, Level = LogLevel.Warning, Message = "gpsd service on 127.0.0.1:{Port}: {Max} clients are connected; further ones are closed at once (counted; logged once)")]
    private static partial void LogRefused(ILogger logger, int port, int max);

    [LoggerMessage(EventId = 5261, Level = LogLevel.Warning, Message = "gpsd service on 127.0.0.1:{Port}: a client sent a command longer than {Max} bytes and was closed (counted; logged once)")]
    private static partial void LogBadCommand(ILogger logger, int port, int max);

    [LoggerMessage(EventId = 5262, Level = LogLevel.Warning, Message = "gpsd service on 127.0.0.1:{Port}: a client did not read {Depth} lines in time and was closed (counted; logged once)")]
    private static partial void LogSlow(ILogger logger, int port, int depth);
}
