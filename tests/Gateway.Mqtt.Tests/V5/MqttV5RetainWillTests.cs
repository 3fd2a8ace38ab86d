using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.TestKit.Servers;
using static Gateway.Mqtt.Tests.Session.BrokerTestHelpers;

namespace Gateway.Mqtt.Tests.V5;

/// <summary>MQTT 5.0 retained messages (with their properties, retain handling) and wills with a Will Delay Interval, against a real mosquitto.</summary>
public sealed class MqttV5RetainWillTests
{
    private static MqttClientOptions V5(MosquittoServer server, string clientId, MqttWill? will = null, TimeSpan? sessionExpiry = null)
    {
        var o = Options(server, clientId);
        return new MqttClientOptions
        {
            Host = o.Host, Port = o.Port, ClientId = clientId, KeepAlive = o.KeepAlive, ConnectTimeout = o.ConnectTimeout,
            ReconnectMinDelay = o.ReconnectMinDelay, ReconnectMaxDelay = o.ReconnectMaxDelay,
            ProtocolVersion = MqttProtocolVersion.V500, Will = will, SessionExpiryInterval = sessionExpiry,
        };
    }

    [Fact]
    public async Task Retained_WithProperties_ReachesLaterSubscriber_AndRetainHandlingIsHonoured()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var publisher = await ConnectedAsync(V5(server, "r5-pub"), cts.Token);
        var result = await publisher.PublishAsync(new MqttApplicationMessage("status/gw1", Bytes("online"), MqttQos.AtLeastOnce, Retain: true)
        {
            ContentType = "text/plain",
            UserProperties = [new MqttUserProperty("site", "cp1")],
        }, cts.Token);
        // Nobody subscribes yet: 0x10 No matching subscribers, a success (3.4.2.1) that the retained copy still serves.
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, result.ReasonCode);

        // Retain handling 0: the retained message comes at subscribe time, flagged retained [MQTT-3.3.1-9], properties kept.
        await using var late = await ConnectedAsync(V5(server, "r5-late"), cts.Token);
        await late.SubscribeAsync("status/#", new MqttSubscriptionOptions(MqttQos.AtLeastOnce), cts.Token);
        var message = await late.Messages.ReadAsync(cts.Token);
        Assert.Equal(("status/gw1", "online", true), (message.Topic, Text(message), message.Retain));
        Assert.Equal("text/plain", message.ContentType);
        Assert.Equal([new MqttUserProperty("site", "cp1")], message.UserProperties);

        // Retain handling 2: no retained message at subscribe time [MQTT-3.3.1-11]; a live one still comes.
        await using var live = await ConnectedAsync(V5(server, "r5-live"), cts.Token);
        await live.SubscribeAsync("status/#", new MqttSubscriptionOptions(MqttQos.AtLeastOnce) { RetainHandling = MqttRetainHandling.DoNotSend }, cts.Token);
        await publisher.PublishAsync("status/gw2", Bytes("live"), MqttQos.AtLeastOnce, ct: cts.Token);
        var first = await live.Messages.ReadAsync(cts.Token);
        Assert.Equal(("status/gw2", false), (first.Topic, first.Retain));

        // An empty retained payload deletes the retained message [MQTT-3.3.1-10]: a new subscriber gets nothing.
        await publisher.PublishAsync("status/gw1", ReadOnlyMemory<byte>.Empty, MqttQos.AtLeastOnce, retain: true, cts.Token);
        await using var after = await ConnectedAsync(V5(server, "r5-after"), cts.Token);
        await after.SubscribeAsync("status/gw1", new MqttSubscriptionOptions(MqttQos.AtLeastOnce), cts.Token);
        await publisher.PublishAsync("status/gw1", Bytes("marker"), MqttQos.AtLeastOnce, ct: cts.Token);
        Assert.Equal("marker", Text(await after.Messages.ReadAsync(cts.Token)));
    }

    [Fact]
    public async Task WillDelay_ClientGoneForGood_WillComesAfterTheDelayWithItsProperties()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var watcher = await ConnectedAsync(V5(server, "wd-watch"), cts.Token);
        await watcher.SubscribeAsync("status/#", new MqttSubscriptionOptions(MqttQos.AtLeastOnce), cts.Token);

        // A gateway that dies (its process ends, TCP reset, no DISCONNECT): a raw connection, since our client
        // reconnects by itself. Will delay 2 s, session expiry 60 s: the will waits for the delay (3.1.3.2.2).
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Host, server.Port, cts.Token);
        var connect = new ConnectPacket("wd-gw", true, 30, Will: new MqttWill("status/wd-gw", Bytes("offline"), MqttQos.AtLeastOnce, false), ProtocolLevel: ConnectPacket.ProtocolLevel500)
        {
            Properties = new MqttProperties { SessionExpiryInterval = 60 },
            WillProperties = new MqttProperties { WillDelayInterval = 2, ContentType = "text/plain" },
        };
        var bytes = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(bytes, connect);
        await socket.SendAsync(bytes.WrittenMemory, cts.Token);
        var connAck = new byte[64];
        var n = await socket.ReceiveAsync(connAck, cts.Token);
        Assert.True(n >= 4 && connAck[0] == 0x20 && connAck[3] == 0x00, $"CONNACK accepted ({Convert.ToHexString(connAck, 0, n)})");
        var gone = Stopwatch.StartNew();
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();

        var will = await watcher.Messages.ReadAsync(cts.Token);
        gone.Stop();
        Assert.Equal(("status/wd-gw", "offline", "text/plain"), (will.Topic, Text(will), will.ContentType));
        // mosquitto checks will delays once a second, so the will may come up to ~1 s late, never early.
        Assert.True(gone.Elapsed >= TimeSpan.FromSeconds(1.5), $"the will came after {gone.Elapsed.TotalSeconds:F1} s, before its 2 s delay");
    }

    [Fact]
    public async Task WillDelay_ClientReconnectsWithinTheDelay_WillIsNotPublished()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var watcher = await ConnectedAsync(V5(server, "wr-watch"), cts.Token);
        await watcher.SubscribeAsync("status/#", new MqttSubscriptionOptions(MqttQos.AtLeastOnce), cts.Token);
        var will = new MqttWill("status/wr-gw", Bytes("offline"), MqttQos.AtLeastOnce, Retain: false) { DelayInterval = TimeSpan.FromSeconds(3) };
        await using var gateway = new MqttClient(V5(server, "wr-gw", will, sessionExpiry: TimeSpan.FromSeconds(60)));
        await gateway.ConnectAsync(cts.Token);

        // A network blip: our client reconnects within 100-500 ms, well inside the 3 s delay, which cancels the will
        // (5.0 section 3.1.3.2.2: the will is not sent if a new connection for the session arrives before the delay).
        gateway.DropConnection();
        await WaitUntilAsync(() => gateway.Statistics.Connects >= 2 && gateway.IsConnected, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(4.5), cts.Token);
        await gateway.PublishAsync("status/wr-gw", Bytes("still here"), MqttQos.AtLeastOnce, ct: cts.Token);
        // The first message the watcher sees is the gateway's own, not the will.
        Assert.Equal("still here", Text(await watcher.Messages.ReadAsync(cts.Token)));
    }
}
