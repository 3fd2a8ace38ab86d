using System.Text;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests;

/// <summary>The ingest never acknowledges what the store did not take: data sent while the store cannot write arrives later.</summary>
public sealed class IngestStoreOutageTests
{
    [Fact]
    public async Task MissingDatabase_MessagesAreHeldAndWrittenOnceItExists()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await using var stack = new StackRunner();
        var ingest = await stack.StartIngestAsync(broker.Port, influx.Url, "late");

        var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "pub" });
        await using (publisher)
        {
            await publisher.ConnectAsync(CancellationToken.None);
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 1; i <= 5; i++)
                await publisher.PublishAsync("fleet/gw-x/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq={i}i {ts + i}\n"));
        }

        // The database does not exist yet: the ingest retries instead of dropping.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ingest.Statistics.StoreRetries == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(ingest.Statistics.StoreRetries > 0, ingest.Statistics.ToString());
        Assert.Equal(0, ingest.Statistics.PointsWritten);

        await influx.CreateDatabaseAsync("late");
        var rows = await influx.WaitForAsync("late", "SELECT seq FROM counter", r => r.Count >= 5, TimeSpan.FromSeconds(60));
        Assert.Equal([1L, 2, 3, 4, 5], rows.Select(r => r["seq"].GetInt64()).Order());
        Assert.Equal(0, ingest.Statistics.RejectedByStore);
    }
}
