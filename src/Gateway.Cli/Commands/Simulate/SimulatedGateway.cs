using System.Buffers;
using System.Text;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;

namespace Gateway.Cli.Commands.Simulate;

/// <summary>
/// One simulated gateway: its own MQTT client and id, a retained birth and will on <c>fleet/{id}/status</c> like the
/// agent's, and telemetry in the team's measurement contract (counter, gps, env, power, cpu, input, gateway, tag).
/// Timestamps are deterministic per reading (the counter's are its scheduled times), so a re-sent batch is the same
/// points, never new ones (DESIGN §2).
/// </summary>
internal sealed class SimulatedGateway : IAsyncDisposable
{
    private readonly FleetSimulatorOptions _options;
    private readonly int _index;
    private readonly (double Lat, double Lon) _position;
    private readonly Random _random;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private long _seq;
    private long? _lastSensors;
    private double _counterDebt;

    public SimulatedGateway(FleetSimulatorOptions options, int index)
    {
        _options = options;
        _index = index;
        Id = options.GatewayId(index);
        _position = options.GatewayPosition(index);
        _random = new Random(options.Seed * 100_003 + index);
        Client = new MqttClient(new MqttClientOptions
        {
            Host = options.BrokerHost,
            Port = options.BrokerPort,
            ClientId = Id,
            KeepAlive = TimeSpan.FromSeconds(60),
            ReconnectMaxDelay = TimeSpan.FromSeconds(10),
            // Each gateway with its own certificate: the broker's ACL lets it write only under fleet/{its id}/.
            Tls = options.TlsFor(Id),
            Will = new MqttWill($"fleet/{Id}/status", Encoding.UTF8.GetBytes($$"""{"state":"offline","gateway":"{{Id}}"}""")),
        });
    }

    public string Id { get; }
    public MqttClient Client { get; }
    public bool Escaped { get; set; }
    public string Topic => $"fleet/{Id}/telemetry";

    public async Task StartAsync(CancellationToken ct)
    {
        Client.Start();
        await Client.WaitConnectedAsync(ct).ConfigureAwait(false);
        var birth = $$"""{"state":"online","gateway":"{{Id}}","version":"simulated","profile":"gatewayctl simulate fleet","boot_id":"{{Guid.NewGuid():N}}","started":"{{DateTimeOffset.UtcNow:O}}"}""";
        await Client.PublishAsync($"fleet/{Id}/status", Encoding.UTF8.GetBytes(birth), MqttQos.AtLeastOnce, retain: true, ct).ConfigureAwait(false);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Client.PublishAsync($"fleet/{Id}/events", Encoding.UTF8.GetBytes($"event,gateway={Id},kind=boot message=\"simulated gateway started\" {ts}\n"), MqttQos.AtLeastOnce, false, ct).ConfigureAwait(false);
    }

    /// <summary>The payload for the interval that starts at <paramref name="start"/> (unix ms); valid until the next call.</summary>
    public ReadOnlyMemory<byte> NextBatch(long start, out int lines)
    {
        _buffer.ResetWrittenCount();
        var w = new LineProtocolWriter(_buffer);
        lines = 0;
        var interval = (long)_options.Interval.TotalMilliseconds;
        _counterDebt += _options.Rate * interval / 1000.0;
        var count = (int)_counterDebt;
        _counterDebt -= count;
        for (var i = 0; i < count; i++)
        {
            w.WriteMeasurement("counter");
            w.WriteTag("gateway", Id);
            w.WriteTag("sensor", "seq");
            w.WriteField("seq", ++_seq);
            w.EndLine(start + i * interval / Math.Max(1, count));
            lines++;
        }
        if (_lastSensors is not { } last || start - last >= (long)_options.SensorInterval.TotalMilliseconds)
        {
            _lastSensors = start;
            lines += WriteSensors(w, start + interval - 1);
        }
        return _buffer.WrittenMemory;
    }

    private int WriteSensors(LineProtocolWriter w, long ts)
    {
        var t = ts / 1000.0;
        Point(w, "gps", "gps", ts, ("lat", _position.Lat + Noise(0.00002)), ("lon", _position.Lon + Noise(0.00002)), ("alt", 27 + Noise(1)), ("speed", 0.0), ("hdop", 0.9));
        Point(w, "env", "enclosure", ts, ("temperature", 31 + 4 * Math.Sin(t / 600 + _index) + Noise(0.2)), ("humidity", 55 + Noise(2)), ("pressure", 1009 + Noise(0.5)));
        Point(w, "power", "supply", ts, ("bus_voltage", 12.6 + Noise(0.1)), ("shunt_voltage", 41.0 + Noise(1)), ("current", 0.41 + Noise(0.02)), ("power", 5.2 + Noise(0.2)));
        Point(w, "cpu", "soc", ts, ("temperature", 48 + Noise(2)));
        w.WriteMeasurement("gateway"); w.WriteTag("gateway", Id); w.WriteTag("sensor", "agent");
        w.WriteField("queue_records", 0L); w.WriteField("queue_bytes", 0L); w.WriteField("oldest_unsent_s", 0.0); w.WriteField("dropped", 0L);
        w.EndLine(ts);
        w.WriteMeasurement("input"); w.WriteTag("gateway", Id); w.WriteTag("sensor", "door");
        w.WriteField("state", false); w.WriteField("alarm", true);
        w.EndLine(ts);
        for (var tag = 0; tag < _options.TagsPerGateway; tag++) WriteTag(w, tag, ts);
        return 6 + _options.TagsPerGateway;
    }

    private void WriteTag(LineProtocolWriter w, int tag, long ts)
    {
        // Each tag drives slowly round a circle of about 170 m radius around its gateway, one lap per ~20 minutes.
        var angle = ts / 1000.0 / 200 + tag * 2.1 + _index;
        var lat = _position.Lat + 0.0015 * Math.Sin(angle);
        var lon = _position.Lon + 0.0015 * Math.Cos(angle);
        if (Escaped && tag == 0) lat += 0.01;
        w.WriteMeasurement("tag");
        w.WriteTag("gateway", Id);
        w.WriteTag("sensor", "lora");
        w.WriteTag("tag", FleetSimulatorOptions.TagId(_index, tag));
        w.WriteField("lat", Math.Round(lat, 6));
        w.WriteField("lon", Math.Round(lon, 6));
        w.WriteField("battery_mv", 3900L - (ts / 60_000 % 300) - tag * 10);
        w.WriteField("moving", (tag + _index) % 3 != 0);
        w.WriteField("alarm", false);
        w.WriteField("low_battery", false);
        w.WriteField("rssi", -70 - 20 * _random.NextDouble());
        w.WriteField("snr", 7 + 3 * _random.NextDouble());
        w.WriteField("counter", ts / 5000 % 100_000);
        w.EndLine(ts);
    }

    private void Point(LineProtocolWriter w, string measurement, string sensor, long ts, params (string Key, double Value)[] fields)
    {
        w.WriteMeasurement(measurement);
        w.WriteTag("gateway", Id);
        w.WriteTag("sensor", sensor);
        foreach (var (k, v) in fields) w.WriteField(k, Math.Round(v, 4));
        w.EndLine(ts);
    }

    private double Noise(double amplitude) => (_random.NextDouble() * 2 - 1) * amplitude;

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await Client.PublishAsync($"fleet/{Id}/status", Encoding.UTF8.GetBytes($$"""{"state":"offline","gateway":"{{Id}}"}"""), MqttQos.AtLeastOnce, retain: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or ObjectDisposedException)
        {
        }
        await Client.DisposeAsync().ConfigureAwait(false);
    }
}
