using Gateway.Mqtt.Packets;
using Gateway.TestKit.Time;
using static Gateway.Mqtt.Tests.Session.BrokerTestHelpers;

namespace Gateway.Mqtt.Tests.Session;

public class MqttClientFakeBrokerTests
{
    private static MqttClientOptions Options(FakeBroker broker, TimeProvider? time = null) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        ClientId = "fake",
        KeepAlive = TimeSpan.FromSeconds(10),
        TimeProvider = time ?? TimeProvider.System,
        ReconnectMinDelay = TimeSpan.FromMinutes(10),
        ReconnectMaxDelay = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public async Task KeepAlive_SendsPingReqWhenIdle_AndDropsConnectionWithoutPingResp()
    {
        using var cts = Timeout();
        var time = new ManualTimeProvider();
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(Options(broker, time));
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, e) => lost.TrySetResult(e.Reason);
        var accept = broker.AcceptAsync(cts.Token);
        await client.ConnectAsync(cts.Token);
        await accept;

        // Idle for the keep alive: the client sends PINGREQ [MQTT-3.1.2-23]. Time moves in steps because the
        // keep-alive loop arms its timer asynchronously.
        var ping = broker.ReceiveAsync(cts.Token);
        while (!ping.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, cts.Token);
        }
        Assert.Equal(MqttPacketType.PingReq, (await ping).Type);
        Assert.True(client.IsConnected);

        // No PINGRESP: within half the keep alive the connection counts as dead.
        while (!lost.Task.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, cts.Token);
        }
        var reason = await lost.Task;
        Assert.IsType<MqttConnectionException>(reason);
        Assert.Contains("PINGRESP", reason!.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        Assert.Equal(1, client.Statistics.Disconnects);
    }

    [Fact]
    public async Task KeepAlive_PingRespReceived_KeepsConnection()
    {
        using var cts = Timeout();
        var time = new ManualTimeProvider();
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(Options(broker, time));
        var accept = broker.AcceptAsync(cts.Token);
        await client.ConnectAsync(cts.Token);
        await accept;
        for (var round = 0; round < 3; round++)
        {
            var ping = broker.ReceiveAsync(cts.Token);
            while (!ping.IsCompleted)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(20, cts.Token);
            }
            Assert.Equal(MqttPacketType.PingReq, (await ping).Type);
            await broker.SendAsync(EmptyPacket.PingResp, cts.Token);
        }
        Assert.True(client.IsConnected);
        Assert.Equal(0, client.Statistics.Disconnects);
    }

    [Fact]
    public async Task Subscribe_SubAckFailure_ThrowsTypedSubscribeException()
    {
        using var cts = Timeout();
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(Options(broker));
        var accept = broker.AcceptAsync(cts.Token);
        await client.ConnectAsync(cts.Token);
        await accept;
        var subscribe = client.SubscribeAsync("denied/#", MqttQos.AtLeastOnce, cts.Token).AsTask();
        var request = Assert.IsType<SubscribePacket>(await broker.ReceiveAsync(cts.Token));
        Assert.Equal("denied/#", request.Subscriptions[0].TopicFilter);
        await broker.SendAsync(new SubAckPacket(request.PacketId, [SubAckPacket.Failure]), cts.Token);
        var ex = await Assert.ThrowsAsync<MqttSubscribeException>(() => subscribe);
        Assert.Contains("0x80", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttReasonCode.UnspecifiedError, ex.ReasonCode);
    }

    [Fact]
    public async Task MalformedPacketFromBroker_ClosesConnectionAndCountsProtocolError()
    {
        using var cts = Timeout();
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(Options(broker));
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, e) => lost.TrySetResult(e.Reason);
        var accept = broker.AcceptAsync(cts.Token);
        await client.ConnectAsync(cts.Token);
        await accept;
        // A second CONNACK is a protocol violation for a client.
        await broker.SendAsync(new ConnAckPacket(false, ConnectReturnCode.Accepted), cts.Token);
        Assert.IsType<MqttProtocolException>(await lost.Task.WaitAsync(cts.Token));
        Assert.Equal(1, client.Statistics.ProtocolErrors);
    }

    [Fact]
    public async Task PublishAsync_InvalidArguments_ThrowClearly()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(Options(broker));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.PublishAsync("a/#", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.PublishAsync("a", Bytes("x"), (MqttQos)3));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await client.SubscribeAsync("a", new MqttSubscriptionOptions { NoLocal = true }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.PublishAsync(new MqttApplicationMessage("a", Bytes("x")) { ContentType = "text/plain" }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SubscribeAsync("a/#/b", MqttQos.AtLeastOnce));
        Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { Host = "h", ClientId = "", CleanSession = false }));
        Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { Host = "h", ClientId = "c", Password = "p" }));
    }
}
