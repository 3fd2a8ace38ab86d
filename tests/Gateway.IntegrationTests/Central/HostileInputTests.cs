using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.History;
using Gateway.IntegrationTests.Central.Support;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Central;

/// <summary>Hostile payloads through real mosquitto, the ingest and a real influxd (issue 12, central service).</summary>
public sealed class HostileInputTests
{
    /// <summary>
    /// Item 3: <c>env,sensor=enclosure temperature=99.9,gateway="sim-0002"</c> published by evil-05 is refused by the
    /// ingest, and a point of that shape already in the store (written before the refusal existed) does not answer the
    /// dashboard's history of sim-0002 either, because every query names its tags and fields (::tag, ::field).
    /// </summary>
    [Fact]
    public async Task FieldNamedGateway_FromAnotherGateway_DoesNotChangeItsHistory()
    {
        await using var central = await IngestStack.StartAsync();
        var (broker, influx, ingest) = (central.Broker, central.Influx, central.Ingest);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

        // Already in the store from before: the field gateway="sim-0002" on evil-05's series.
        using (var http = new HttpClient())
        using (var body = new StringContent($"env,gateway=evil-05,sensor=enclosure temperature=88.8,gateway=\"sim-0002\" {ts - 1000}\n"))
            (await http.PostAsync(new Uri(influx.Url, "/write?db=fleet&precision=ms"), body)).EnsureSuccessStatusCode();

        var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "hostile-pub" });
        await using (publisher)
        {
            await publisher.ConnectAsync(CancellationToken.None);
            await publisher.PublishAsync("fleet/sim-0002/telemetry", Encoding.UTF8.GetBytes($"env,sensor=enclosure temperature=21.5 {ts}\n"));
            await publisher.PublishAsync("fleet/evil-05/telemetry", Encoding.UTF8.GetBytes(
                $"env,sensor=enclosure temperature=99.9,gateway=\"sim-0002\" {ts + 1}\nenv,sensor=enclosure temperature=30 {ts + 2}\n"));
        }
        await influx.WaitForAsync("fleet", "SELECT \"temperature\"::field FROM env WHERE \"gateway\"::tag = 'evil-05'", r => r.Count >= 2, TimeSpan.FromSeconds(60));
        await influx.WaitForAsync("fleet", "SELECT \"temperature\"::field FROM env WHERE \"gateway\"::tag = 'sim-0002'", r => r.Count >= 1, TimeSpan.FromSeconds(60));
        Assert.Equal(1, ingest.Statistics.ShadowingFields);
        var evil = await influx.QueryAsync("fleet", "SELECT \"temperature\"::field FROM env WHERE \"gateway\"::tag = 'evil-05'");
        Assert.Equal([30.0, 88.8], evil.Select(r => r["temperature"].GetDouble()).Order());

        using var history = new HistoryClient(new HistoryConfig(influx.Url, "fleet", null, null, null));
        var series = await history.GatewayAsync("sim-0002", TimeSpan.FromHours(1), CancellationToken.None);
        var temperature = series.Single(s => s.Columns.Contains("enclosure_temperature"));
        Assert.Equal([21.5], temperature.Rows.Select(r => r[1]));
    }

    /// <summary>
    /// Item 2: a 2 MiB message (above the fleet's 1 MiB limit, on a broker without message_size_limit) once closed the
    /// ingest's connection, was redelivered from its persistent session forever and froze every gateway's data, across
    /// restarts. Now it is skipped unread, counted and acknowledged; other gateways' data keeps flowing, also when the
    /// poison was queued while the ingest was down.
    /// </summary>
    [Fact]
    public async Task OversizedMessage_IsSkippedAndAcknowledged_AndOtherGatewaysKeepFlowing_AcrossAnIngestRestart()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync("fleet");
        await using var central = new CentralRunner();
        var config = new
        {
            broker = new { host = "127.0.0.1", port = broker.Port, clientId = "ingest-poison", shareGroup = "none" },
            store = new { url = influx.Url.ToString(), database = "fleet", batchLingerMs = 5 },
            dashboard = new { enabled = false },
            alerts = new { enabled = false },
            stateDirectory = central.Directory,
        };
        var first = (await central.StartAsync(config)).Ingest!;
        var poison = new byte[2 * 1024 * 1024];
        Array.Fill(poison, (byte)'x');
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "poison-pub", MaxPacketSize = 4 * 1024 * 1024 });
        await using (publisher)
        {
            await publisher.ConnectAsync(CancellationToken.None);
            await publisher.PublishAsync("fleet/evil-05/telemetry", poison);
            for (var i = 1; i <= 3; i++)
                await publisher.PublishAsync("fleet/gw-1/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq={i}i {ts + i}\n"));
            await influx.WaitForAsync("fleet", "SELECT \"seq\"::field FROM counter WHERE \"gateway\"::tag = 'gw-1'", r => r.Count >= 3, TimeSpan.FromSeconds(60));
            Assert.Equal(1, first.Statistics.OversizedMessages);

            // Down: the broker queues a second poison and more data in the ingest's persistent session.
            await central.StopAsync(0);
            await publisher.PublishAsync("fleet/evil-05/telemetry", poison);
            for (var i = 4; i <= 6; i++)
                await publisher.PublishAsync("fleet/gw-1/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq={i}i {ts + i}\n"));
        }
        var second = (await central.StartAsync(config)).Ingest!;
        var rows = await influx.WaitForAsync("fleet", "SELECT \"seq\"::field FROM counter WHERE \"gateway\"::tag = 'gw-1'", r => r.Count >= 6, TimeSpan.FromSeconds(60));
        Assert.Equal([1L, 2, 3, 4, 5, 6], rows.Select(r => r["seq"].GetInt64()).Order());
        Assert.Equal(1, second.Statistics.OversizedMessages);
        Assert.Equal((1L, 0L), (second.Client.Statistics.Connects, second.Client.Statistics.ProtocolErrors));
    }
}
