using Gateway.TestKit.Servers;
using static Gateway.Mqtt.Tests.Session.BrokerTestHelpers;

namespace Gateway.Mqtt.Tests.Session;

/// <summary>Broker restarts and redelivery against a real mosquitto.</summary>
public class MqttClientResilienceTests
{
    private const int Count = 2000;

    [Fact]
    public async Task BrokerRestart_During2000Qos1Publishes_SubscriberGetsEveryMessageInOrder()
    {
        using var cts = Timeout(40);
        // Queue bound above the test's volume: mosquitto's default (1000) would drop for a slow subscriber.
        await using var server = await MosquittoServer.StartAsync("max_queued_messages 10000");
        await using var subscriber = await ConnectedAsync(Options(server, "load-sub", cleanSession: false), cts.Token);
        await subscriber.SubscribeAsync("load", MqttQos.AtLeastOnce, cts.Token);
        await using var publisher = new MqttClient(Options(server, "load-pub"));
        publisher.Start();
        await publisher.WaitConnectedAsync(cts.Token);

        var received = new List<int>();
        var reader = Task.Run(async () =>
        {
            var distinct = new HashSet<int>();
            while (distinct.Count < Count)
            {
                var message = await subscriber.Messages.ReadAsync(cts.Token);
                var n = int.Parse(Text(message), System.Globalization.CultureInfo.InvariantCulture);
                received.Add(n);
                distinct.Add(n);
            }
        }, cts.Token);

        var publishes = new List<Task>(Count);
        for (var i = 0; i < Count; i++)
        {
            publishes.Add(publisher.PublishAsync("load", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), MqttQos.AtLeastOnce, ct: cts.Token).AsTask());
            if (i == 600)
            {
                await WaitUntilAsync(() => publisher.Statistics.Acknowledged >= 300, cts.Token);
                await server.StopAsync();
                await server.StartAgainAsync();
            }
        }
        await Task.WhenAll(publishes).WaitAsync(cts.Token);
        await reader.WaitAsync(cts.Token);

        Assert.True(publisher.Statistics.Connects >= 2, "the publisher reconnected by itself");
        Assert.True(subscriber.Statistics.Connects >= 2, "the subscriber reconnected by itself");
        Assert.Equal(Count, publisher.Statistics.Acknowledged);
        // In order: the first delivery of each message comes in publish order; duplicates (QoS 1) are counted.
        var firstSeen = new List<int>();
        var seen = new HashSet<int>();
        foreach (var n in received)
        {
            if (seen.Add(n)) firstSeen.Add(n);
        }
        Assert.Equal(Enumerable.Range(0, Count), firstSeen);
        var duplicates = received.Count - Count;
        // At most a send window from each side may be re-sent across one restart.
        Assert.InRange(duplicates, 0, 200);
    }

    [Fact]
    public async Task ManualAck_UnackedMessage_IsRedeliveredAfterReconnect_AckedOneIsNot()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var subscriber = await ConnectedAsync(Options(server, "manual", cleanSession: false, manualAck: true), cts.Token);
        await subscriber.SubscribeAsync("m", MqttQos.AtLeastOnce, cts.Token);
        await using var publisher = await ConnectedAsync(Options(server, "manual-pub"), cts.Token);
        await publisher.PublishAsync("m", Bytes("first"), ct: cts.Token);
        var first = await subscriber.Messages.ReadAsync(cts.Token);
        Assert.Equal(("first", false), (Text(first), first.Duplicate));

        // Not acknowledged: the broker keeps it in flight and re-delivers it on the resumed session [MQTT-4.4.0-1].
        subscriber.DropConnection();
        var again = await subscriber.Messages.ReadAsync(cts.Token);
        Assert.Equal(("first", true), (Text(again), again.Duplicate));
        await subscriber.AcknowledgeAsync(first, cts.Token); // from the old connection: ignored
        await subscriber.AcknowledgeAsync(again, cts.Token);

        // Acknowledged now: after another drop the next message is a new one, not "first" again.
        await WaitUntilAsync(() => subscriber.IsConnected, cts.Token);
        subscriber.DropConnection();
        await WaitUntilAsync(() => subscriber.Statistics.Connects >= 3 && subscriber.IsConnected, cts.Token);
        await publisher.PublishAsync("m", Bytes("second"), ct: cts.Token);
        var next = await subscriber.Messages.ReadAsync(cts.Token);
        Assert.Equal("second", Text(next));
    }

    [Fact]
    public async Task ManualAck_OutOfOrderAck_IsHeldUntilEarlierMessagesAreAcked()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var subscriber = await ConnectedAsync(Options(server, "order", cleanSession: false, manualAck: true), cts.Token);
        await subscriber.SubscribeAsync("o", MqttQos.AtLeastOnce, cts.Token);
        await using var publisher = await ConnectedAsync(Options(server, "order-pub"), cts.Token);
        await publisher.PublishAsync("o", Bytes("A"), ct: cts.Token);
        await publisher.PublishAsync("o", Bytes("B"), ct: cts.Token);
        var a = await subscriber.Messages.ReadAsync(cts.Token);
        var b = await subscriber.Messages.ReadAsync(cts.Token);
        Assert.Equal(("A", "B"), (Text(a), Text(b)));

        // B acked first: its PUBACK must wait for A's [MQTT-4.6.0-2], so after a drop both come back.
        await subscriber.AcknowledgeAsync(b, cts.Token);
        await BarrierAsync(subscriber, cts.Token);
        subscriber.DropConnection();
        var redelivered = new[] { await subscriber.Messages.ReadAsync(cts.Token), await subscriber.Messages.ReadAsync(cts.Token) };
        Assert.Equal(["A", "B"], redelivered.Select(Text));

        // Acked in order on the new connection: both PUBACKs go out, nothing comes back after another drop.
        await subscriber.AcknowledgeAsync(redelivered[1], cts.Token);
        await subscriber.AcknowledgeAsync(redelivered[0], cts.Token);
        await BarrierAsync(subscriber, cts.Token);
        subscriber.DropConnection();
        await WaitUntilAsync(() => subscriber.Statistics.Connects >= 3 && subscriber.IsConnected, cts.Token);
        await publisher.PublishAsync("o", Bytes("C"), ct: cts.Token);
        Assert.Equal("C", Text(await subscriber.Messages.ReadAsync(cts.Token)));
    }

    [Fact]
    public async Task ManualAck_ManyAtOnce_InAnyOrder_AcknowledgesExactlyThose()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var subscriber = await ConnectedAsync(Options(server, "batch", cleanSession: false, manualAck: true), cts.Token);
        await subscriber.SubscribeAsync("b", MqttQos.AtLeastOnce, cts.Token);
        await using var publisher = await ConnectedAsync(Options(server, "batch-pub"), cts.Token);
        foreach (var text in new[] { "1", "2", "3", "4", "5" }) await publisher.PublishAsync("b", Bytes(text), ct: cts.Token);
        var got = new List<MqttMessage>();
        for (var i = 0; i < 5; i++) got.Add(await subscriber.Messages.ReadAsync(cts.Token));
        Assert.Equal(["1", "2", "3", "4", "5"], got.Select(Text));

        // 1, 2 and 4 in one call, out of order: 1 and 2 go out; 4 waits for 3, which is never acknowledged.
        await subscriber.AcknowledgeAsync([got[3], got[1], got[0]], cts.Token);
        await BarrierAsync(subscriber, cts.Token);
        subscriber.DropConnection();
        var redelivered = new List<MqttMessage>();
        for (var i = 0; i < 3; i++) redelivered.Add(await subscriber.Messages.ReadAsync(cts.Token));
        Assert.Equal(["3", "4", "5"], redelivered.Select(Text));
        Assert.All(redelivered, m => Assert.True(m.Duplicate));

        // The rest in one call, with a stale message from the old connection among them (ignored): nothing comes back.
        await subscriber.AcknowledgeAsync([redelivered[2], got[2], redelivered[0], redelivered[1]], cts.Token);
        await BarrierAsync(subscriber, cts.Token);
        subscriber.DropConnection();
        await WaitUntilAsync(() => subscriber.Statistics.Connects >= 3 && subscriber.IsConnected, cts.Token);
        await publisher.PublishAsync("b", Bytes("6"), ct: cts.Token);
        Assert.Equal("6", Text(await subscriber.Messages.ReadAsync(cts.Token)));
    }

    /// <summary>
    /// A round trip the broker answers only after it has handled every packet sent before it on this connection
    /// (packets of one connection are processed in order): after it, a PUBACK that was sent has been taken into
    /// account, and one that was held is known not to have been sent. Instead of sleeping and hoping.
    /// </summary>
    private static async Task BarrierAsync(MqttClient client, CancellationToken ct) =>
        await client.UnsubscribeAsync("barrier/never-subscribed", ct);
}
