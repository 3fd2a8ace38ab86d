using System.Text.Json;
using Gateway.Agent;
using Gateway.Ingest;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Support;

/// <summary>
/// Runs the agent and the ingest in-process through the same host code as their executables (AgentHost, IngestHost),
/// against servers the test started, and stops them at dispose.
/// </summary>
public sealed class StackRunner : IAsyncDisposable
{
    private readonly InProcessHosts _hosts = new();
    private readonly TempDirectory _dir = new("stack");

    public string Directory => _dir.Path;

    /// <summary>The demo profile with the given gateway id and faster rates, so a test sees data within seconds.</summary>
    public string WriteProfile(string gatewayId, int brokerPort, double counterRate = 20, int bufferMaxBytes = 16 * 1024 * 1024)
    {
        var profile = new
        {
            gatewayId,
            site = new { name = "Test site", latitude = 8.484, longitude = -13.2299, altitude = 27 },
            hardware = "simulated",
            broker = new { host = "127.0.0.1", port = brokerPort, keepAliveSeconds = 10, reconnectMaxSeconds = 2 },
            pipeline = new { capacity = 8192, fullMode = "dropOldest", batchMaxReadings = 200, batchMaxDelayMs = 200, bufferMaxBytes },
            sources = new object[]
            {
                new { type = "gps", name = "gps", device = "/dev/serial0", baud = 9600 },
                new { type = "bme280", name = "enclosure", bus = 1, address = "0x76", intervalMs = 300 },
                new { type = "counter", name = "seq", ratePerSecond = counterRate },
            },
        };
        var path = _dir.File($"{gatewayId}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(profile));
        return path;
    }

    public Task<AgentWorker> StartAgentAsync(string profilePath)
    {
        var state = _dir.File($"state-{_hosts.Count}");
        return _hosts.StartAsync<AgentWorker>("The agent", (stop, started) => AgentHost.RunAsync(["--profile", profilePath, "--state-dir", state], stop, started));
    }

    /// <param name="shareGroup">"none" (one instance, a plain persistent subscription) unless a test is about shared subscriptions.</param>
    /// <param name="extraArgs">More command-line options, e.g. the TLS flags (--cafile, --cert, --key).</param>
    public async Task<IngestWorker> StartIngestAsync(int brokerPort, Uri influx, string database, string clientId = "test-ingest", string shareGroup = "none",
        IReadOnlyList<string>? extraArgs = null)
    {
        var ingest = await _hosts.StartAsync<IngestWorker>("The ingest", (stop, started) => IngestHost.RunAsync(
            ["--broker", $"127.0.0.1:{brokerPort}", "--influx", influx.ToString(), "--database", database, "--client-id", clientId, "--share-group", shareGroup, .. extraArgs ?? []],
            stop, started));
        // Messages published before the subscription exists are not kept for us by the broker.
        await ingest.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        return ingest;
    }

    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync();
        _dir.Dispose();
    }
}
