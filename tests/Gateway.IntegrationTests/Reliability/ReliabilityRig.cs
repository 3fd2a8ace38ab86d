using System.Text;
using System.Text.Json;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// What the reliability scenarios share: a broker that never drops queued messages, a store, the ingest, a state
/// directory that outlives agent processes, and profiles with a fast counter and a journal section.
/// </summary>
internal sealed class ReliabilityRig : IAsyncDisposable
{
    public const string Database = "fleet";

    /// <summary>
    /// mosquitto drops QoS 1 messages beyond 1000 queued per client by default (max_queued_messages); the ingest's
    /// session queues the whole backlog while the store catches up, so the limit is lifted. 0 = no limit.
    /// </summary>
    public static readonly string[] BrokerConfig = ["max_queued_messages 0", "max_inflight_messages 20"];

    private readonly TempDirectory _dir = new("reliability");

    public string Directory => _dir.Path;
    public string StateDirectory => _dir.File("state");
    public string AgentDll { get; } = Path.Combine(AppContext.BaseDirectory, "gateway-agent.dll");

    public string WriteProfile(string gatewayId, int brokerPort, double counterRate, object? journal = null, int metricsIntervalMs = 1000)
    {
        var profile = new Dictionary<string, object>
        {
            ["gatewayId"] = gatewayId,
            ["site"] = new { name = "Reliability", latitude = 8.484, longitude = -13.2299, altitude = 27 },
            ["hardware"] = "simulated",
            ["broker"] = new { host = "127.0.0.1", port = brokerPort, keepAliveSeconds = 5, reconnectMaxSeconds = 1 },
            ["pipeline"] = new { capacity = 65536, fullMode = "dropNewest", batchMaxReadings = 200, batchMaxDelayMs = 100 },
            ["journal"] = journal ?? new { metricsIntervalMs },
            ["sources"] = new object[] { new { type = "counter", name = "seq", ratePerSecond = counterRate } },
        };
        var path = _dir.File($"{gatewayId}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(profile));
        return path;
    }

    public ServerProcess StartAgentProcess(string profile) =>
        ServerProcess.Start("dotnet", [AgentDll, "--profile", profile, "--state-dir", StateDirectory]);

    /// <summary>All distinct counter seqs of <paramref name="gatewayId"/> in the store.</summary>
    public static async Task<HashSet<long>> StoredSeqsAsync(InfluxServer influx, string gatewayId) =>
        (await StoredSeqRowsAsync(influx, gatewayId)).ToHashSet();

    /// <summary>The counter seq of every point of <paramref name="gatewayId"/> in the store (a seq stored twice appears twice).</summary>
    public static async Task<List<long>> StoredSeqRowsAsync(InfluxServer influx, string gatewayId)
    {
        var rows = await influx.QueryAsync(Database, $"SELECT \"seq\"::field FROM \"counter\" WHERE \"gateway\"::tag = '{gatewayId}'");
        return rows.Select(r => r["seq"].GetInt64()).ToList();
    }

    /// <summary>
    /// The central ingest as its own process (single instance, persistent session "crash-ingest"), as systemd runs it.
    /// </summary>
    public static ServerProcess StartIngestProcess(int brokerPort, InfluxServer influx) =>
        ServerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "gateway-ingest.dll"), "--broker", $"127.0.0.1:{brokerPort}",
            "--influx", influx.Url.ToString(), "--database", Database, "--client-id", "crash-ingest", "--share-group", "none"]);

    /// <summary>
    /// Starts the ingest and waits until it stores a warm-up point: from then on its persistent session holds the
    /// subscription, so nothing published while it is down (or killed) is lost to it.
    /// </summary>
    public static async Task<ServerProcess> StartIngestProcessAsync(int brokerPort, InfluxServer influx, CancellationToken ct)
    {
        var ingest = StartIngestProcess(brokerPort, influx);
        await using var probe = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = brokerPort, ClientId = "crash-warmup" });
        await probe.ConnectAsync(ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            // Published again until one arrives: a publish before the ingest subscribed goes to nobody.
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await probe.PublishAsync("fleet/warmup/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=seq seq=1i {ts}\n"), MqttQos.AtLeastOnce, false, ct);
            if ((await StoredSeqRowsAsync(influx, "warmup")).Count > 0) return ingest;
            if (ingest.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The ingest did not store a point within 60 s:\n{ingest.Output}");
            await Task.Delay(500, ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
