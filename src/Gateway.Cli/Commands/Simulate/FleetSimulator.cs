using System.Diagnostics;
using Gateway.Mqtt;
using Gateway.Core.Counters;

namespace Gateway.Cli.Commands.Simulate;

/// <summary>
/// Runs N simulated gateways, each a real MQTT client with its own id, against a broker: in real time (one message per
/// gateway per interval, spread over the interval so the fleet does not publish in lockstep) or in bench mode
/// (<see cref="FleetSimulatorOptions.Burst"/> messages per gateway as fast as the broker acknowledges them).
/// </summary>
public sealed class FleetSimulator : IAsyncDisposable
{
    /// <summary>Gateways connecting at once: a broker accepts a thousand clients faster in waves than in one stampede.</summary>
    private const int ConnectWave = 50;

    private readonly FleetSimulatorOptions _options;
    private readonly List<SimulatedGateway> _gateways = [];
    private readonly Lock _dumpLock = new();
    private FileStream? _dump;
    private readonly AtomicCounter _messages = new();
    private readonly AtomicCounter _lines = new();
    private readonly AtomicCounter _failures = new();

    public FleetSimulator(FleetSimulatorOptions options)
    {
        if (options.Validate() is { } error) throw new ArgumentException(error, nameof(options));
        _options = options;
    }

    public long Messages => _messages.Value;
    public long Lines => _lines.Value;
    public long Failures => _failures.Value;
    public int Connected => _gateways.Count(g => g.Client.IsConnected);

    /// <summary>Sends the first tag of the first gateway outside its site (true) or back (false), from its next report.</summary>
    public void Escape(bool outside)
    {
        if (_gateways.Count > 0) _gateways[0].Escaped = outside;
    }

    /// <summary>Connects every gateway and publishes its birth; completes when all are connected.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_options.DumpFile is { } dump) _dump = new FileStream(dump, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        for (var i = 0; i < _options.Gateways; i++) _gateways.Add(new SimulatedGateway(_options, i));
        foreach (var wave in _gateways.Chunk(ConnectWave))
            await Task.WhenAll(wave.Select(g => g.StartAsync(ct))).ConfigureAwait(false);
    }

    /// <summary>Publishes until <paramref name="ct"/> (or the duration, or the burst) ends; returns the elapsed time.</summary>
    public async Task<TimeSpan> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var duration = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_options.Duration is { } d) duration.CancelAfter(d);
        var escape = _options.EscapeEvery is { } every ? Task.Run(() => EscapeLoopAsync(every, duration.Token), CancellationToken.None) : Task.CompletedTask;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var loops = _gateways.Select((g, i) => _options.Burst is { } burst
            ? Task.Run(() => BurstAsync(g, burst, ct), CancellationToken.None)
            : Task.Run(() => RealTimeAsync(g, start + (long)(_options.Interval.TotalMilliseconds * i / _gateways.Count), duration.Token), CancellationToken.None));
        await Task.WhenAll(loops).ConfigureAwait(false);
        await escape.ConfigureAwait(false);
        lock (_dumpLock) _dump?.Flush();
        return clock.Elapsed;
    }

    private async Task RealTimeAsync(SimulatedGateway gateway, long first, CancellationToken ct)
    {
        var interval = (long)_options.Interval.TotalMilliseconds;
        for (var tick = first; !ct.IsCancellationRequested; tick += interval)
        {
            var wait = tick + interval - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            try
            {
                if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct).ConfigureAwait(false);
                await PublishAsync(gateway, tick, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task BurstAsync(SimulatedGateway gateway, int count, CancellationToken ct)
    {
        var interval = (long)_options.Interval.TotalMilliseconds;
        // Stamped in the past, one interval apart, ending now: real points a store accepts, each batch distinct.
        var first = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (count + 1) * interval;
        var window = new Queue<Task>();
        for (var i = 0; i < count && !ct.IsCancellationRequested; i++)
        {
            window.Enqueue(PublishAsync(gateway, first + i * interval, ct));
            if (window.Count >= 20) await window.Dequeue().ConfigureAwait(false);
        }
        while (window.Count > 0) await window.Dequeue().ConfigureAwait(false);
    }

    private Task PublishAsync(SimulatedGateway gateway, long tick, CancellationToken ct)
    {
        // A copy per message: the client may keep the payload until the PUBACK (MqttClient.PublishAsync's contract).
        var payload = gateway.NextBatch(tick, out var lines).ToArray();
        if (_dump is not null)
            lock (_dumpLock) _dump.Write(payload);
        var sent = gateway.Client.PublishAsync(gateway.Topic, payload, MqttQos.AtLeastOnce, retain: false, ct);
        _lines.Add(lines);
        return Count(sent);

        async Task Count(ValueTask publish)
        {
            try
            {
                await publish.ConfigureAwait(false);
                _messages.Increment();
            }
            catch (Exception ex) when (ex is MqttException or ObjectDisposedException)
            {
                _failures.Increment();
            }
        }
    }

    private async Task EscapeLoopAsync(TimeSpan every, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, ct).ConfigureAwait(false);
                Escape(true);
                await Task.Delay(TimeSpan.FromMinutes(1), ct).ConfigureAwait(false);
                Escape(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var wave in _gateways.Chunk(ConnectWave))
            await Task.WhenAll(wave.Select(g => g.DisposeAsync().AsTask())).ConfigureAwait(false);
        if (_dump is not null) await _dump.DisposeAsync().ConfigureAwait(false);
    }
}
