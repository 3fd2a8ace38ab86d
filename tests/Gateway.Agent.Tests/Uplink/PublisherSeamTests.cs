using System.Text;
using Gateway.Agent.Uplink;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Uplink;

/// <summary>
/// The publisher's failure paths through the MQTT client's transport seam, driven by a scripted broker: a batch the
/// broker refuses for good, and a broker that withholds its acknowledgements (issue 13: both were untested because a
/// real broker does neither on cue).
/// </summary>
public sealed class PublisherSeamTests
{
    [Fact]
    public async Task RefusedBatch_IsCountedAndLeavesTheJournal_LaterBatchesStillFlow()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempDirectory();
        using var journal = DiskJournal.Open(new DiskJournalOptions { Directory = dir.Path, MinFreeDiskBytes = 0 });
        for (var i = 1; i <= 5; i++) journal.Append(JournalLane.Telemetry, Encoding.UTF8.GetBytes($"t{i}"), 10);
        var broker = new ScriptedBroker(MqttProtocolVersion.V500, receiveMaximum: 10);
        await using var client = new MqttClient(broker.ClientOptions("cp-seam"));
        await broker.ConnectAsync(client, cts.Token);
        var publisher = new Publisher(client, journal, "cp-seam", TimeProvider.System, NullLogger.Instance);
        publisher.Complete();
        var run = publisher.RunAsync(cts.Token);

        for (var i = 1; i <= 5; i++)
        {
            var publish = await broker.NextPublishAsync(cts.Token);
            Assert.Equal(("fleet/cp-seam/telemetry", $"t{i}"), (publish.Topic, Encoding.UTF8.GetString(publish.Payload)));
            // The broker refuses the second batch for good (0x87 Not authorized, as an ACL would).
            await broker.PubAckAsync(publish.PacketId, cts.Token, i == 2 ? MqttReasonCode.NotAuthorized : MqttReasonCode.Success);
        }
        await run;

        Assert.Equal(1, publisher.FailedBatches);
        Assert.Equal(4, publisher.PublishedBatches);
        Assert.Equal(40, publisher.PublishedReadings);
        // Refused is final: the batch leaves the journal, so it cannot block the uplink.
        Assert.Equal(0, journal.UnacknowledgedRecords);
    }

    [Fact]
    public async Task BrokerWithholdsAcks_AtMostMaxOutstandingBatchesAreHandedToTheClient()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempDirectory();
        using var journal = DiskJournal.Open(new DiskJournalOptions { Directory = dir.Path, MinFreeDiskBytes = 0 });
        const int records = Publisher.MaxOutstanding * 2;
        for (var i = 1; i <= records; i++) journal.Append(JournalLane.Telemetry, Encoding.UTF8.GetBytes($"t{i}"), 1);
        // The client's own window (100) is wider than the publisher's limit, so only the publisher can hold it back.
        var broker = new ScriptedBroker(MqttProtocolVersion.V500, receiveMaximum: 100);
        await using var client = new MqttClient(broker.ClientOptions("cp-slow", maxInflight: 100));
        await broker.ConnectAsync(client, cts.Token);
        var publisher = new Publisher(client, journal, "cp-slow", TimeProvider.System, NullLogger.Instance);
        publisher.Complete();
        var run = publisher.RunAsync(cts.Token);

        var received = new List<ScriptedPublish>();
        for (var i = 0; i < Publisher.MaxOutstanding; i++) received.Add(await broker.NextPublishAsync(cts.Token));
        Assert.Equal(Publisher.MaxOutstanding, publisher.OutstandingBatches);

        // Each acknowledgement lets exactly one more batch out, in journal order.
        for (var i = 0; i < records - Publisher.MaxOutstanding; i++)
        {
            await broker.PubAckAsync(received[i].PacketId, cts.Token);
            var next = await broker.NextPublishAsync(cts.Token);
            Assert.Equal($"t{Publisher.MaxOutstanding + i + 1}", Encoding.UTF8.GetString(next.Payload));
            received.Add(next);
            Assert.InRange(publisher.OutstandingBatches, 1, Publisher.MaxOutstanding);
        }
        for (var i = records - Publisher.MaxOutstanding; i < records; i++) await broker.PubAckAsync(received[i].PacketId, cts.Token);
        await run;
        Assert.Equal(records, publisher.PublishedBatches);
        Assert.Equal(0, journal.UnacknowledgedRecords);
    }
}
