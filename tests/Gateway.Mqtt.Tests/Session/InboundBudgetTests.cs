using Gateway.TestKit.Servers;
using static Gateway.Mqtt.Tests.Session.BrokerTestHelpers;

namespace Gateway.Mqtt.Tests.Session;

/// <summary>Manual-ack memory is bounded by bytes held, not by message count (issue 12 item 6), against a real mosquitto.</summary>
public sealed class InboundBudgetTests
{
    [Fact]
    public async Task InboundMaxBytes_StopsDeliveryAtTheBound_UntilAcknowledgementsMakeRoom()
    {
        await using var server = await MosquittoServer.StartAsync();
        using var cts = Timeout(30);
        await using var subscriber = await ConnectedAsync(new MqttClientOptions
        {
            Host = server.Host, Port = server.Port, ClientId = "budget-sub", ManualAck = true, InboundMaxBytes = 100_000,
        }, cts.Token);
        await subscriber.SubscribeAsync("big/#", MqttQos.AtLeastOnce, cts.Token);
        await using var publisher = await ConnectedAsync(Options(server, "budget-pub"), cts.Token);
        for (var i = 0; i < 6; i++) await publisher.PublishAsync($"big/{i}", new byte[40_000], MqttQos.AtLeastOnce, ct: cts.Token);

        // Two messages (80,000 bytes) fit; the third is read from the socket and waits for room before delivery.
        await WaitUntilAsync(() => subscriber.Statistics.Received >= 3, cts.Token);
        var delivered = new List<MqttMessage>();
        while (subscriber.Messages.TryRead(out var m)) delivered.Add(m);
        Assert.Equal(["big/0", "big/1"], delivered.Select(m => m.Topic));
        Assert.Equal(3, subscriber.Statistics.Received);

        // Acknowledging makes room: the rest arrive, two at a time.
        while (delivered.Count < 6)
        {
            await subscriber.AcknowledgeAsync(delivered, cts.Token);
            var before = delivered.Count;
            while (delivered.Count == before) delivered.Add(await subscriber.Messages.ReadAsync(cts.Token));
            while (subscriber.Messages.TryRead(out var m)) delivered.Add(m);
        }
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"big/{i}"), delivered.Select(m => m.Topic));
    }
}
