using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;

namespace Gateway.IntegrationTests.Sensors;

/// <summary>
/// Issue 6 end to end: the agent runs the full simulated reference build (SX1276 with tags, BME280, INA219, door and
/// tamper inputs, CPU thermal zone, DS18B20, GPS) through the real drivers into a real mosquitto, the ingest writes
/// to a real InfluxDB, and tag, env, power, input and cpu points arrive; tag_seen events arrive on
/// fleet/{gateway}/events.
/// </summary>
public sealed class SensorsEndToEndTests
{
    private const string Database = "fleet";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task FullSimulatedBuild_TagEnvPowerInputAndCpuPoints_ReachTheStore()
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx, stack) = (central.Broker, central.Influx, central.Runner);
        await using var events = await SubscribeAsync(broker.Port, "fleet/+/events");
        var agent = await stack.StartAgentAsync(WriteProfile(stack, "cp-sensors", broker.Port));

        // TAG is an InfluxQL keyword: the measurement name must be quoted in queries.
        var tags = await influx.WaitForAsync(Database, "SELECT * FROM \"tag\" WHERE gateway = 'cp-sensors'",
            r => r.Select(x => x["tag"].GetString()).Distinct().Count() >= 4, Arrival);
        foreach (var row in tags)
        {
            Assert.Equal("lora", row["sensor"].GetString());
            Assert.Matches("^a5[0-9a-f]{6}$", row["tag"].GetString()!);
            Assert.InRange(row["rssi"].GetDouble(), -130, -20);
            Assert.InRange(row["battery_mv"].GetInt64(), 2500, 4300);
            Assert.True(row["counter"].GetInt64() >= 1);
            if (row["lat"].ValueKind == JsonValueKind.Number)
            {
                Assert.InRange(row["lat"].GetDouble(), 8.38, 8.59);     // within ~10 km of the site
                Assert.InRange(row["lon"].GetDouble(), -13.33, -13.13);
            }
        }
        // The container's tag has no GPS: its points carry no position.
        Assert.Contains(tags, r => r["lat"].ValueKind == JsonValueKind.Null);

        var power = await influx.WaitForAsync(Database, "SELECT * FROM power WHERE gateway = 'cp-sensors'", r => r.Count >= 2, Arrival);
        Assert.All(power, r =>
        {
            Assert.InRange(r["bus_voltage"].GetDouble(), 11, 14);
            Assert.InRange(r["current"].GetDouble(), 0.4, 1.2);
            Assert.Equal(r["bus_voltage"].GetDouble() * r["current"].GetDouble(), r["power"].GetDouble(), 0.05);
        });

        var env = await influx.WaitForAsync(Database, "SELECT * FROM env WHERE gateway = 'cp-sensors'",
            r => r.Any(x => x["sensor"].GetString() == "enclosure") && r.Any(x => x["sensor"].GetString() == "outside"), Arrival);
        Assert.Contains(env, r => r["sensor"].GetString() == "outside" && r["humidity"].ValueKind == JsonValueKind.Null);

        var inputs = await influx.WaitForAsync(Database, "SELECT * FROM input WHERE gateway = 'cp-sensors'",
            r => r.Select(x => x["sensor"].GetString()).Distinct().Count() == 2, Arrival);
        Assert.All(inputs, r => Assert.True(r["alarm"].GetBoolean()));

        var cpu = await influx.WaitForAsync(Database, "SELECT * FROM cpu WHERE gateway = 'cp-sensors'", r => r.Count >= 1, Arrival);
        Assert.InRange(cpu[0]["temperature"].GetDouble(), 30, 70);

        // tag_seen events, once per tag, in line protocol on fleet/{gateway}/events.
        var seen = await events.WaitForAsync(lines => lines.Count(l => l.Contains("kind=tag_seen", StringComparison.Ordinal)) >= 4, Arrival);
        Assert.All(seen.Where(l => l.Contains("kind=tag_seen", StringComparison.Ordinal)), l =>
        {
            Assert.StartsWith("event,gateway=cp-sensors,kind=tag_seen,sensor=lora,tag=a5", l, StringComparison.Ordinal);
            Assert.Contains("message=\"tag a5", l, StringComparison.Ordinal);
        });
        Assert.Equal(seen.Count(l => l.Contains("kind=tag_seen", StringComparison.Ordinal)),
            seen.Where(l => l.Contains("kind=tag_seen", StringComparison.Ordinal)).Select(l => l.Split(",tag=")[1][..8]).Distinct().Count());
        Assert.True(agent.Pipeline.Statistics.Accepted > 0);
    }

    private static string WriteProfile(StackRunner stack, string gatewayId, int brokerPort)
    {
        var profile = new
        {
            gatewayId,
            site = new { name = "Test site", latitude = 8.484, longitude = -13.2299, altitude = 27 },
            hardware = "simulated",
            broker = new { host = "127.0.0.1", port = brokerPort, keepAliveSeconds = 10, reconnectMaxSeconds = 2 },
            pipeline = new { capacity = 8192, fullMode = "dropOldest", batchMaxReadings = 200, batchMaxDelayMs = 200, bufferMaxBytes = 16 * 1024 * 1024 },
            sources = new object[]
            {
                new { type = "gps", name = "gps", device = "/dev/serial0", baud = 9600 },
                new { type = "bme280", name = "enclosure", bus = 1, address = "0x76", intervalMs = 500 },
                new { type = "ina219", name = "battery", bus = 1, address = "0x40", shuntOhms = 0.1, maxCurrentAmps = 3.2, intervalMs = 500 },
                new { type = "lora", name = "lora", spiBus = 0, chipSelect = 0, gpioChip = 0, resetLine = 17, dio0Line = 4, region = "eu868" },
                new { type = "gpio-input", name = "door", gpioChip = 0, line = 22, alarm = true, kind = "door" },
                new { type = "gpio-input", name = "tamper", gpioChip = 0, line = 27, alarm = true, kind = "tamper" },
                new { type = "cpu-temperature", name = "soc", zone = 0, intervalMs = 1000 },
                new { type = "ds18b20", name = "outside", device = "28-0316a2790aff", intervalMs = 1000 },
            },
        };
        var path = Path.Combine(stack.Directory, $"{gatewayId}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(profile));
        return path;
    }

    private static async Task<EventSubscriber> SubscribeAsync(int port, string filter)
    {
        var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = "events-test" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(cts.Token);
        await client.SubscribeAsync(filter, MqttQos.AtLeastOnce, cts.Token);
        return new EventSubscriber(client);
    }

    /// <summary>Collects the lines published under the filter.</summary>
    private sealed class EventSubscriber(MqttClient client) : IAsyncDisposable
    {
        private readonly List<string> _lines = [];

        public async Task<IReadOnlyList<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> done, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (!done(_lines))
            {
                var message = await client.Messages.ReadAsync(cts.Token);
                _lines.AddRange(Encoding.UTF8.GetString(message.Payload.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
            return _lines;
        }

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
