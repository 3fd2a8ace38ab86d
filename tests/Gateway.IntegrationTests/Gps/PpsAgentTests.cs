using System.Text.Json;
using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Gps;

/// <summary>
/// The agent with a GPS and its PPS line, on the simulated hardware (the receiver's epochs and the PPS pulses of the
/// same seconds), end to end: its clock self-metrics reach InfluxDB through mosquitto and the ingest and say the clock
/// is held by PPS edges.
/// </summary>
public sealed class PpsAgentTests
{
    private const string Database = "fleet";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SimulatedGpsWithPps_ClockSelfMetricsSayGpsPps_WithEdgesUsed()
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx, stack) = (central.Broker, central.Influx, central.Runner);
        await stack.StartAgentAsync(WriteProfile(stack, broker.Port));

        // The system clock (trusted at once in a simulation) is overtaken by GPS fixes, then by PPS edges.
        var rows = await influx.WaitForAsync(Database, "SELECT * FROM gateway WHERE gateway = 'cp-pps' AND sensor = 'clock'",
            r => r.Any(row => IsPps(row) && row["pps_used"].GetInt64() >= 3), Arrival);
        var row = rows.Last(IsPps);
        var (edges, used, rejected) = (row["pps_edges"].GetInt64(), row["pps_used"].GetInt64(), row["pps_rejected"].GetInt64());
        // Read and counted in two places a moment apart: within one edge of each other.
        Assert.InRange(used + rejected - edges, 0, 1);
        Assert.Equal(0, row["pps_overflowed"].GetInt64());
        Assert.Equal(0, row["clock_held"].GetInt64());
        Assert.Equal(0, row["clock_released_unsynced"].GetInt64());
        // The journal's own point (sensor agent) is unchanged beside it.
        var agent = await influx.WaitForAsync(Database, "SELECT queue_records FROM gateway WHERE gateway = 'cp-pps' AND sensor = 'agent'", r => r.Count >= 1, Arrival);
        Assert.NotEmpty(agent);
    }

    private static bool IsPps(IReadOnlyDictionary<string, JsonElement> row) =>
        row.TryGetValue("clock_source", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() == "gps+pps";

    private static string WriteProfile(StackRunner stack, int brokerPort)
    {
        var profile = new
        {
            gatewayId = "cp-pps",
            site = new { name = "PPS bench", latitude = 8.484, longitude = -13.2299, altitude = 27 },
            hardware = "simulated",
            broker = new { host = "127.0.0.1", port = brokerPort, keepAliveSeconds = 10, reconnectMaxSeconds = 2 },
            pipeline = new { batchMaxReadings = 200, batchMaxDelayMs = 200 },
            journal = new { metricsIntervalMs = 500 },
            sources = new object[]
            {
                new { type = "gps", name = "gps", device = "/dev/serial0", baud = 9600, pps = new { gpioChip = 0, line = 18, edge = "rising" } },
                new { type = "counter", name = "seq", ratePerSecond = 5 },
            },
        };
        var path = Path.Combine(stack.Directory, "cp-pps.json");
        File.WriteAllText(path, JsonSerializer.Serialize(profile));
        return path;
    }
}
