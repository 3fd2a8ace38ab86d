using System.Text;
using Gateway.TestKit.Mqtt;

namespace Gateway.Mqtt.Tests.Session;

/// <summary>
/// The client through its transport seam (<see cref="MqttClientOptions.TransportFactory"/>) with a scripted broker:
/// failures placed exactly between two packets, which a real broker cannot be made to do on cue.
/// </summary>
public sealed class MqttClientTransportSeamTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task ConnectionCut_WithQos1InFlight_ResendsTheUnacknowledgedWithDup_InOrder(MqttProtocolVersion version)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var broker = new ScriptedBroker(version, receiveMaximum: 20);
        await using var client = new MqttClient(broker.ClientOptions("seam", cleanSession: false));
        await broker.ConnectAsync(client, cts.Token);

        var acks = Enumerable.Range(1, 5).Select(i => client.PublishAsync("t/seam", Encoding.UTF8.GetBytes($"m{i}"), MqttQos.AtLeastOnce, false, cts.Token).AsTask()).ToList();
        var first = new List<ScriptedPublish>();
        for (var i = 0; i < 5; i++) first.Add(await broker.NextPublishAsync(cts.Token));
        await broker.PubAckAsync(first[0].PacketId, cts.Token);
        await broker.PubAckAsync(first[1].PacketId, cts.Token);
        await Task.WhenAll(acks[0], acks[1]);

        broker.Cut();
        await broker.AcceptAsync(cts.Token, sessionPresent: true);
        for (var i = 2; i < 5; i++)
        {
            var again = await broker.NextPublishAsync(cts.Token);
            // [MQTT-4.4.0-1]: the same packet identifier, the DUP flag set, in the original order.
            Assert.Equal((first[i].PacketId, $"m{i + 1}", true), (again.PacketId, Encoding.UTF8.GetString(again.Payload), again.Duplicate));
            await broker.PubAckAsync(again.PacketId, cts.Token);
        }
        await Task.WhenAll(acks).WaitAsync(cts.Token);
        Assert.Equal(2, broker.Connections);
    }

    [Fact]
    public async Task PubAckWithFailureReason_V5_FailsThatPublishOnly()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var broker = new ScriptedBroker(MqttProtocolVersion.V500, receiveMaximum: 20);
        await using var client = new MqttClient(broker.ClientOptions("seam-refused"));
        await broker.ConnectAsync(client, cts.Token);

        var refused = client.PublishAsync("t/a", "x"u8.ToArray(), MqttQos.AtLeastOnce, false, cts.Token).AsTask();
        var accepted = client.PublishAsync("t/b", "y"u8.ToArray(), MqttQos.AtLeastOnce, false, cts.Token).AsTask();
        var a = await broker.NextPublishAsync(cts.Token);
        var b = await broker.NextPublishAsync(cts.Token);
        await broker.PubAckAsync(a.PacketId, cts.Token, MqttReasonCode.QuotaExceeded);
        await broker.PubAckAsync(b.PacketId, cts.Token);

        var error = await Assert.ThrowsAsync<MqttPublishException>(() => refused);
        Assert.Equal(MqttReasonCode.QuotaExceeded, error.ReasonCode);
        await accepted;
        Assert.True(client.IsConnected);
    }
}
