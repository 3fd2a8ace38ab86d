using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Store;
using Gateway.Ingest.Tests.Store;
using Gateway.Mqtt;
using Gateway.TestKit.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Ingest.Tests.Ingest;

/// <summary>
/// A batch whose write fails in a way nobody classified (an exception from the store path) once stayed unacknowledged
/// in a fire-and-forget task, and since acks go out in receipt order every later ack waited for a reconnect (issue 13).
/// </summary>
public sealed class IngestWorkerTests
{
    [Fact]
    public async Task BatchThatThrows_IsCountedAndRetriedPerMessage_AndLaterMessagesAreStillAcknowledged()
    {
        await using var broker = await MosquittoServer.StartAsync();
        // Throws for any write holding the poison line: the whole batch, then that one message on its own.
        var store = new FakeStore(lines => lines.Any(l => l.Contains("poison", StringComparison.Ordinal))
            ? throw new InvalidOperationException("an unclassified failure in the store path")
            : StoreWriteResult.Written);
        var config = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes($$"""
            { "broker": { "port": {{broker.Port}}, "clientId": "failing-ingest", "shareGroup": "none" },
              "store": { "batchMaxDelayMs": 200, "batchLingerMs": 50 }, "dashboard": { "enabled": false }, "alerts": { "enabled": false } }
            """), "t.json", "/");
        await using var worker = new IngestWorker(config, TimeProvider.System, NullLoggerFactory.Instance, store);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.StartAsync(timeout.Token);
        await worker.Subscribed.WaitAsync(timeout.Token);

        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "pub" }))
        {
            await publisher.ConnectAsync(timeout.Token);
            await publisher.PublishAsync("fleet/gw-1/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq=1i {ts}\n"), ct: timeout.Token);
            await publisher.PublishAsync("fleet/evil-05/telemetry", Encoding.UTF8.GetBytes($"poison,sensor=c v=1i {ts}\npoison,sensor=c v=2i {ts + 1}\n"), ct: timeout.Token);
            for (var i = 2; i <= 5; i++)
                await publisher.PublishAsync("fleet/gw-1/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq={i}i {ts + i}\n"), ct: timeout.Token);
        }

        while (worker.Statistics.Acknowledged < 6 && !timeout.IsCancellationRequested) await Task.Delay(50, CancellationToken.None);
        Assert.True(worker.Statistics.Acknowledged == 6, $"every message, the poison one included, is acknowledged: {worker.Statistics}");
        Assert.True(worker.Statistics.FailedBatches >= 1, worker.Statistics.ToString());
        Assert.Equal(2, worker.Statistics.FailedPoints);
        lock (store.Stored) Assert.Equal(5, store.Stored.Count(l => l.StartsWith("counter,", StringComparison.Ordinal)));
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stop_WhileTheStoreIsFailing_DoesNotWaitForTheRetryingWrites()
    {
        await using var broker = await MosquittoServer.StartAsync();
        var store = new FakeStore(_ => new StoreWriteResult(StoreWriteOutcome.Retryable, "store down"));
        var config = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes($$"""
            { "broker": { "port": {{broker.Port}}, "clientId": "stopping-ingest", "shareGroup": "none" },
              "store": { "batchMaxDelayMs": 1, "batchLingerMs": 0 }, "dashboard": { "enabled": false }, "alerts": { "enabled": false } }
            """), "t.json", "/");
        // A clock that does not move: the old stop waited for in-flight writes until a grace time on this clock passed.
        var time = new Gateway.TestKit.Time.ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var worker = new IngestWorker(config, time, NullLoggerFactory.Instance, store);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.StartAsync(timeout.Token);
        await worker.Subscribed.WaitAsync(timeout.Token);
        await using (var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "pub" }))
        {
            await publisher.ConnectAsync(timeout.Token);
            await publisher.PublishAsync("fleet/gw-1/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq=1i {time.GetUtcNow().ToUnixTimeMilliseconds()}\n"), ct: timeout.Token);
        }
        while (worker.Statistics.StoreRetries == 0 && !timeout.IsCancellationRequested) await Task.Delay(20, CancellationToken.None);
        Assert.True(worker.StoreFailing);
        await worker.StopAsync(CancellationToken.None).WaitAsync(timeout.Token);
        Assert.Equal(0, worker.Statistics.Acknowledged);
    }
}
