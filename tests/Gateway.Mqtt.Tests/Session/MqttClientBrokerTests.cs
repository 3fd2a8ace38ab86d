using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;
using static Gateway.Mqtt.Tests.Session.BrokerTestHelpers;

namespace Gateway.Mqtt.Tests.Session;

/// <summary>Against a real mosquitto on loopback (DESIGN §8).</summary>
public class MqttClientBrokerTests
{
    [Fact]
    public async Task PublishAndSubscribe_Qos0AndQos1_RoundTripBetweenTwoClients()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var subscriber = await ConnectedAsync(Options(server, "sub"), cts.Token);
        Assert.Equal(MqttQos.AtLeastOnce, await subscriber.SubscribeAsync("t/#", MqttQos.AtLeastOnce, cts.Token));
        await using var publisher = await ConnectedAsync(Options(server, "pub"), cts.Token);
        Assert.True(publisher.IsConnected);

        await publisher.PublishAsync("t/0", Bytes("zero"), MqttQos.AtMostOnce, ct: cts.Token);
        await publisher.PublishAsync("t/1", Bytes("one"), MqttQos.AtLeastOnce, ct: cts.Token);

        var first = await subscriber.Messages.ReadAsync(cts.Token);
        var second = await subscriber.Messages.ReadAsync(cts.Token);
        Assert.Equal(("t/0", "zero", MqttQos.AtMostOnce, false), (first.Topic, Text(first), first.Qos, first.Retain));
        Assert.Equal(("t/1", "one", MqttQos.AtLeastOnce), (second.Topic, Text(second), second.Qos));
        Assert.NotEqual(0, second.PacketId);
        Assert.Equal((2L, 1L, 1L), (publisher.Statistics.Published, publisher.Statistics.Acknowledged, publisher.Statistics.Connects));
        Assert.Equal((2L, 0L), (subscriber.Statistics.Received, subscriber.Statistics.ProtocolErrors));
    }

    [Fact]
    public async Task Unsubscribe_StopsDelivery()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var client = await ConnectedAsync(Options(server, "unsub"), cts.Token);
        await client.SubscribeAsync("u/a", MqttQos.AtLeastOnce, cts.Token);
        await client.SubscribeAsync("u/b", MqttQos.AtLeastOnce, cts.Token);
        await client.UnsubscribeAsync("u/a", cts.Token);
        await client.PublishAsync("u/a", Bytes("gone"), ct: cts.Token);
        await client.PublishAsync("u/b", Bytes("kept"), ct: cts.Token);
        var message = await client.Messages.ReadAsync(cts.Token);
        Assert.Equal(("u/b", "kept"), (message.Topic, Text(message)));
    }

    [Fact]
    public async Task RetainedMessage_IsReceivedByLaterSubscriber()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using (var publisher = await ConnectedAsync(Options(server, "pub"), cts.Token))
        {
            await publisher.PublishAsync("fleet/gw1/status", Bytes("online"), MqttQos.AtLeastOnce, retain: true, ct: cts.Token);
        }
        await using var subscriber = await ConnectedAsync(Options(server, "late"), cts.Token);
        await subscriber.SubscribeAsync("fleet/+/status", MqttQos.AtLeastOnce, cts.Token);
        var message = await subscriber.Messages.ReadAsync(cts.Token);
        Assert.Equal(("fleet/gw1/status", "online", true), (message.Topic, Text(message), message.Retain));
    }

    [Fact]
    public async Task Will_IsPublishedWhenTheConnectionDropsWithoutDisconnect()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var watcher = await ConnectedAsync(Options(server, "watcher"), cts.Token);
        await watcher.SubscribeAsync("status/#", MqttQos.AtLeastOnce, cts.Token);
        var will = new MqttWill("status/gw1", Bytes("offline"), MqttQos.AtLeastOnce, Retain: false);
        await using var client = await ConnectedAsync(Options(server, "gw1", will: will), cts.Token);

        client.DropConnection();

        var message = await watcher.Messages.ReadAsync(cts.Token);
        Assert.Equal(("status/gw1", "offline"), (message.Topic, Text(message)));
    }

    [Fact]
    public async Task Will_IsNotPublishedOnDisconnectAsync()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var watcher = await ConnectedAsync(Options(server, "watcher"), cts.Token);
        await watcher.SubscribeAsync("status/#", MqttQos.AtLeastOnce, cts.Token);
        var will = new MqttWill("status/gw1", Bytes("offline"), MqttQos.AtLeastOnce, Retain: false);
        var client = await ConnectedAsync(Options(server, "gw1", will: will), cts.Token);

        await client.DisconnectAsync(cts.Token);
        Assert.False(client.IsConnected);
        await client.DisposeAsync();
        // A marker published after the disconnect: had the broker published the will, it would arrive first.
        await Task.Delay(300, cts.Token);
        await watcher.PublishAsync("status/marker", Bytes("marker"), ct: cts.Token);

        var message = await watcher.Messages.ReadAsync(cts.Token);
        Assert.Equal("status/marker", message.Topic);
    }

    [Fact]
    public async Task Connected_FiresOnEveryConnection_AndClientReconnectsAfterDrop()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync();
        await using var client = new MqttClient(Options(server, "events"));
        var connected = 0;
        var disconnected = 0;
        client.Connected += (_, e) => { Assert.False(e.SessionPresent); Interlocked.Increment(ref connected); };
        client.Disconnected += (_, e) => { if (e.Reason is not null) Interlocked.Increment(ref disconnected); };
        client.Start();
        await client.WaitConnectedAsync(cts.Token);
        await client.SubscribeAsync("e/#", MqttQos.AtLeastOnce, cts.Token);
        await WaitUntilAsync(() => Volatile.Read(ref connected) == 1, cts.Token);

        client.DropConnection();
        await WaitUntilAsync(() => Volatile.Read(ref connected) == 2 && client.IsConnected, cts.Token);

        Assert.Equal(1, Volatile.Read(ref disconnected));
        Assert.Equal((2L, 1L), (client.Statistics.Connects, client.Statistics.Disconnects));
        // The subscription was re-sent (no session present) and works on the new connection.
        await client.PublishAsync("e/1", Bytes("again"), ct: cts.Token);
        Assert.Equal("again", Text(await client.Messages.ReadAsync(cts.Token)));
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_FailsClearlyWithinTimeout()
    {
        using var cts = Timeout();
        var port = FreePort.Next();
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = "x", ConnectTimeout = TimeSpan.FromSeconds(3) });
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<MqttConnectionException>(() => client.ConnectAsync(cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(6));
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_BrokerRefusesAnonymous_ThrowsConnectExceptionWithReturnCode()
    {
        using var cts = Timeout();
        await using var server = await MosquittoServer.StartAsync("allow_anonymous false");
        await using var client = new MqttClient(Options(server, "anon"));
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(cts.Token));
        Assert.Equal(ConnectReturnCode.NotAuthorized, ex.ReturnCode);
        Assert.Contains("not authorized", ex.Message, StringComparison.Ordinal);
    }
}
