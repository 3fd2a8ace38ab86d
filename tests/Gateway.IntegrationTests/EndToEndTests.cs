using System.Text;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests;

/// <summary>
/// The whole path with real servers: simulated checkpoint → mosquitto → ingest → InfluxDB (issue 2, tests a–d).
/// </summary>
public sealed class EndToEndTests
{
    private const string Database = "fleet";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task SimulatedGateway_GpsEnvAndCounterPoints_ArriveTaggedWithItsId()
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx, stack) = (central.Broker, central.Influx, central.Runner);
        await stack.StartAgentAsync(stack.WriteProfile("cp-test-a", broker.Port));

        var gps = await influx.WaitForAsync(Database, "SELECT * FROM gps WHERE gateway = 'cp-test-a'", r => r.Count >= 2, Arrival);
        foreach (var row in gps)
        {
            Assert.Equal("gps", row["sensor"].GetString());
            // The simulated receiver walks within a few hundred metres of the site (0.01° is about 1.1 km).
            Assert.InRange(row["lat"].GetDouble(), 8.474, 8.494);
            Assert.InRange(row["lon"].GetDouble(), -13.2399, -13.2199);
            Assert.InRange(row["satellites"].GetInt64(), 4, 24);
            Assert.InRange(row["mode"].GetInt64(), 2, 3);
        }

        var env = await influx.WaitForAsync(Database, "SELECT * FROM env WHERE gateway = 'cp-test-a'", r => r.Count >= 2, Arrival);
        foreach (var row in env)
        {
            Assert.Equal("enclosure", row["sensor"].GetString());
            Assert.InRange(row["temperature"].GetDouble(), -40, 85);   // BME280 operating range, datasheet §1
            Assert.InRange(row["humidity"].GetDouble(), 0, 100);
            Assert.InRange(row["pressure"].GetDouble(), 300, 1100);
        }

        var counter = await influx.WaitForAsync(Database, "SELECT seq FROM counter WHERE gateway = 'cp-test-a'", r => r.Count >= 20, Arrival);
        var seqs = counter.Select(r => r["seq"].GetInt64()).Order().ToList();
        Assert.Equal(1, seqs[0]);
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        // Timestamps are real time, not the epoch or a default: within a day of now.
        var newest = counter.Max(r => r["time"].GetInt64());
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(newest), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Payload_ClaimingAnotherGateway_IsStoredUnderTheTopicsGateway()
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx) = (central.Broker, central.Influx);

        await using var publisher = await ConnectAsync(broker.Port, "spoofer");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await publisher.PublishAsync("fleet/gw-a/telemetry", Encoding.UTF8.GetBytes($"door,gateway=gw-b,sensor=d1 open=true {ts}\n"));

        var rows = await influx.WaitForAsync(Database, "SELECT * FROM door", r => r.Count >= 1, Arrival);
        Assert.Single(rows);
        Assert.Equal("gw-a", rows[0]["gateway"].GetString());
        Assert.Empty(await influx.QueryAsync(Database, "SELECT * FROM door WHERE gateway = 'gw-b'"));
    }

    [Fact]
    public async Task GarbagePayloads_AreCountedAndDoNotStopTheIngest()
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx, ingest) = (central.Broker, central.Influx, central.Ingest);

        await using var publisher = await ConnectAsync(broker.Port, "garbage");
        var random = new Random(42);
        var noise = new byte[4096];
        random.NextBytes(noise);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[][] garbage =
        [
            noise,
            [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02],                                  // a truncated gzip stream
            Encoding.UTF8.GetBytes("no fields here\n"),
            Encoding.UTF8.GetBytes("m,tag=1 f=\"unterminated 1\n"),
            Encoding.UTF8.GetBytes("m f=1 notatimestamp\n"),
            Encoding.UTF8.GetBytes("m f=1\n"),                                      // no timestamp: refused, see PayloadDecoder
            [],
        ];
        foreach (var g in garbage) await publisher.PublishAsync("fleet/gw-junk/telemetry", g);
        await publisher.PublishAsync("fleet/NOT VALID/telemetry", Encoding.UTF8.GetBytes($"m f=1 {ts}\n"));
        // Good and bad lines in one payload: the good one is kept.
        await publisher.PublishAsync("fleet/gw-junk/telemetry", Encoding.UTF8.GetBytes($"bad line\nok,sensor=s v=1i {ts}\n"));
        await publisher.PublishAsync("fleet/gw-good/telemetry", Encoding.UTF8.GetBytes($"ok,sensor=s v=2i {ts}\n"));

        var rows = await influx.WaitForAsync(Database, "SELECT * FROM ok", r => r.Count >= 2, Arrival);
        Assert.Equal(["gw-good", "gw-junk"], rows.Select(r => r["gateway"].GetString()).Order());
        Assert.True(ingest.Client.IsConnected);
        Assert.True(ingest.Statistics.MalformedLines >= 4, ingest.Statistics.ToString());
        Assert.Equal(1, ingest.Statistics.MissingTimestamp);
        Assert.Equal(1, ingest.Statistics.UndecodablePayloads);
        Assert.Equal(1, ingest.Statistics.ForeignTopics);
    }

    [Fact]
    public async Task Agent_StartedWhileBrokerIsDown_DeliversEverythingOnceTheBrokerComesUp()
    {
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(Database);
        await using var stack = new StackRunner();
        // The ingest's persistent session exists at the broker before the outage, as in the field: the broker then
        // queues what the agent sends on reconnecting, whichever of the two reconnects first. (An ingest subscribing
        // only after the broker is back would miss what the agent published in the moments before.)
        await using var broker = await MosquittoServer.StartAsync();
        await stack.StartIngestAsync(broker.Port, influx.Url, Database);
        await broker.StopAsync();
        var agent = await stack.StartAgentAsync(stack.WriteProfile("cp-test-late", broker.Port));

        // The agent runs and buffers while nothing listens on the broker's port.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(agent.Client.IsConnected);
        Assert.True(agent.Pipeline.Statistics.Accepted > 0);

        await broker.StartAgainAsync();
        var rows = await influx.WaitForAsync(Database, "SELECT seq FROM counter WHERE gateway = 'cp-test-late'", r => r.Count >= 100, Arrival);
        var seqs = rows.Select(r => r["seq"].GetInt64()).Order().ToList();
        // Nothing produced during the outage is missing: the journal kept it and the publisher sent it once connected.
        Assert.Equal(1, seqs[0]);
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Equal(0, agent.Journal.Statistics.DroppedItems);
    }

    private static async Task<MqttClient> ConnectAsync(int port, string clientId)
    {
        var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = clientId });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(cts.Token);
        return client;
    }
}
