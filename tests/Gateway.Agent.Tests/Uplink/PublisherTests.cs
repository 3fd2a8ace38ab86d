using System.Text;
using Gateway.Agent.Uplink;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Uplink;

/// <summary>The publisher against a real mosquitto: journal → QoS 1 → PUBACK → cursor.</summary>
public sealed class PublisherTests
{
    [Fact]
    public async Task Publishes_EventsFirst_ThenTelemetryInOrder_AndAcknowledgesTheJournal()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var broker = await MosquittoServer.StartAsync();
        using var dir = new TempDirectory();
        using var journal = DiskJournal.Open(new DiskJournalOptions { Directory = dir.Path, MinFreeDiskBytes = 0 });
        for (var i = 1; i <= 100; i++) journal.Append(JournalLane.Telemetry, Encoding.UTF8.GetBytes($"t{i}"), 1);
        journal.Append(JournalLane.Event, Encoding.UTF8.GetBytes("e1"), 1);

        await using var watcher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "w" });
        await watcher.ConnectAsync(cts.Token);
        await watcher.SubscribeAsync("fleet/cp-pub/#", MqttQos.AtLeastOnce, cts.Token);
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "cp-pub" });
        await client.ConnectAsync(cts.Token);
        var publisher = new Publisher(client, journal, "cp-pub", TimeProvider.System, NullLogger.Instance);
        publisher.Complete();
        await publisher.RunAsync(cts.Token);

        Assert.Equal(101, publisher.PublishedBatches);
        Assert.Equal(0, journal.UnacknowledgedRecords);
        Assert.NotNull(publisher.TakeMeanLatency());
        var first = await watcher.Messages.ReadAsync(cts.Token);
        Assert.Equal(("fleet/cp-pub/events", "e1"), (first.Topic, Encoding.UTF8.GetString(first.Payload.Span)));
        for (var i = 1; i <= 100; i++)
        {
            var m = await watcher.Messages.ReadAsync(cts.Token);
            Assert.Equal(("fleet/cp-pub/telemetry", $"t{i}"), (m.Topic, Encoding.UTF8.GetString(m.Payload.Span)));
        }
    }

    [Fact]
    public async Task BrokerUnreachable_StopLeavesEverythingInTheJournal_AndSaysHowMuchAsTheAgentDoes()
    {
        using var dir = new TempDirectory();
        using var journal = DiskJournal.Open(new DiskJournalOptions { Directory = dir.Path, MinFreeDiskBytes = 0 });
        // More than the send window: the stop line must count the journal's batches, not only those in flight.
        for (var i = 1; i <= 50; i++) journal.Append(JournalLane.Telemetry, Encoding.UTF8.GetBytes($"t{i}"), 2);
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = FreePort.Next(), ClientId = "cp-off" });
        client.Start();
        var logger = new Gateway.TestKit.Logging.RecordingLogger();
        var publisher = new Publisher(client, journal, "cp-off", TimeProvider.System, logger);
        publisher.Complete();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await publisher.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, publisher.PublishedBatches);
        Assert.Equal(50, journal.UnacknowledgedRecords);
        Assert.Contains(logger.Lines, l => l.Message.StartsWith($"Stopping with 50 batches not yet acknowledged by the broker ({Publisher.MaxOutstanding} of them sent", StringComparison.Ordinal));
    }
}
