using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Central;

/// <summary>Issue 7, ingest: shared subscriptions split the load; a message is acknowledged only once stored.</summary>
public sealed class IngestScaleOutTests
{
    private const string Database = "fleet";

    [Fact]
    public async Task TwoInstances_SharedSubscription_EveryPointStoredOnce_AndBothWork()
    {
        await using var broker = await MosquittoServer.StartAsync("max_inflight_messages 100");
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(Database);
        await using var central = new CentralRunner();
        var store = new { url = influx.Url.ToString(), database = Database, batchMaxDelayMs = 200 };
        var a = await central.StartAsync(new { broker = new { port = broker.Port, clientId = "ingest-a" }, store });
        var b = await central.StartAsync(new { broker = new { port = broker.Port, clientId = "ingest-b" }, store });

        await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
        foreach (var gw in new[] { "gw-1", "gw-2", "gw-3", "gw-4" })
            await Fleet.PublishCountersAsync(publisher, gw, messages: 50, linesPerMessage: 20, ts);

        var rows = await influx.WaitForAsync(Database, "SELECT count(seq) FROM counter GROUP BY gateway", r => r.Sum(x => x["count"].GetInt64()) >= 4000, TimeSpan.FromSeconds(60));
        Assert.All(rows, r => Assert.Equal(1000, r["count"].GetInt64()));
        // An instance counts its points when the store has answered its write, which may be just after a query sees them.
        await Fleet.WaitUntilAsync(() => Task.FromResult(a.Ingest!.Statistics.PointsWritten + b.Ingest!.Statistics.PointsWritten >= 4000),
            TimeSpan.FromSeconds(30), () => $"{a.Ingest!.Statistics} / {b.Ingest!.Statistics}");
        // Every message went to exactly one instance of the group, and both took a share.
        Assert.Equal(200, a.Ingest!.Statistics.Messages + b.Ingest!.Statistics.Messages);
        Assert.InRange(a.Ingest.Statistics.Messages, 1, 199);
        Assert.Equal(4000, a.Ingest.Statistics.PointsWritten + b.Ingest.Statistics.PointsWritten);
        // Batches gather several messages (the store got fewer writes than there were messages).
        Assert.True(a.Ingest.Statistics.Batches + b.Ingest.Statistics.Batches < 200, $"{a.Ingest.Statistics} / {b.Ingest.Statistics}");
    }

    [Fact]
    public async Task Sigkill_WhileTheStoreRefuses_LosesNothing_TheBrokerRedelivers()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var httpPort = FreePort.Next();
        var metricsUrl = new Uri($"http://127.0.0.1:{httpPort}/");
        var dll = Path.Combine(AppContext.BaseDirectory, "gateway-ingest.dll");
        string[] args = [dll, "--broker", $"127.0.0.1:{broker.Port}", "--influx", influx.Url.ToString(), "--database", "late", "--client-id", "ingest-kill", "--http", metricsUrl.ToString()];

        var first = ServerProcess.Start("dotnet", args);
        await using (first)
        {
            await Fleet.WaitUntilAsync(async () => await Fleet.MetricAsync(http, metricsUrl, "ingest_messages_total") is not null, TimeSpan.FromSeconds(30), () => first.Output);
            await Task.Delay(500); // subscribed (the log says so a moment after the HTTP endpoint is up)
            await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
            await Fleet.PublishCountersAsync(publisher, "gw-k", messages: 30, linesPerMessage: 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000);
            // The database does not exist: the ingest holds the messages and retries.
            await Fleet.WaitUntilAsync(async () => await Fleet.MetricAsync(http, metricsUrl, "ingest_store_retries_total") > 0, TimeSpan.FromSeconds(30), () => first.Output);
            Assert.Equal(0, await Fleet.MetricAsync(http, metricsUrl, "ingest_messages_acknowledged_total"));
            await first.KillAsync(); // SIGKILL: no goodbye, no flush
        }

        await influx.CreateDatabaseAsync("late");
        await using var second = ServerProcess.Start("dotnet", args);
        var rows = await influx.WaitForAsync("late", "SELECT seq FROM counter", r => r.Count >= 300, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), rows.Select(r => r["seq"].GetInt64()).Order());
    }

    [Fact]
    public async Task StoreDown_AcknowledgementsStop_ThenEverythingArrivesWhenItIsBack()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(Database);
        await using var central = new CentralRunner();
        var s = await central.StartAsync(new { broker = new { port = broker.Port, clientId = "ingest-outage" }, store = new { url = influx.Url.ToString(), database = Database } });
        var ingest = s.Ingest!;
        await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;

        await influx.StopAsync();
        await Fleet.PublishCountersAsync(publisher, "gw-o", messages: 20, linesPerMessage: 5, ts);
        await Fleet.WaitUntilAsync(() => Task.FromResult(ingest.Statistics.StoreRetries > 0), TimeSpan.FromSeconds(30), () => ingest.Statistics.ToString());
        Assert.Equal(0, ingest.Statistics.Acknowledged);
        Assert.True(ingest.StoreFailing);

        await influx.StartAgainAsync();
        var rows = await influx.WaitForAsync(Database, "SELECT seq FROM counter", r => r.Count >= 100, TimeSpan.FromSeconds(90));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), rows.Select(r => r["seq"].GetInt64()).Order());
        await Fleet.WaitUntilAsync(() => Task.FromResult(ingest.Statistics.Acknowledged == 20), TimeSpan.FromSeconds(10), () => ingest.Statistics.ToString());
        Assert.False(ingest.StoreFailing);
    }

    [Fact]
    public async Task VictoriaMetrics_IsAStoreToo()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var vm = await VictoriaServer.StartAsync();
        await using var central = new CentralRunner();
        await central.StartAsync(new { broker = new { port = broker.Port, clientId = "ingest-vm" }, store = new { type = "victoriametrics", url = vm.Url.ToString(), database = "fleet" } });
        await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
        await Fleet.PublishCountersAsync(publisher, "gw-vm", messages: 5, linesPerMessage: 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000);

        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double[] Values)> series = [];
        await Fleet.WaitUntilAsync(async () => (series = await vm.ExportAsync("counter_seq")).Sum(x => x.Values.Length) >= 50, TimeSpan.FromSeconds(60), () => $"{series.Count} series");
        var s = Assert.Single(series);
        Assert.Equal(("gw-vm", "fleet"), (s.Labels["gateway"], s.Labels["db"]));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (double)i), s.Values.Order());
    }
}
