using System.Text;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// mosquitto 2.0 does not restore shared subscriptions from its persistence, yet reports the ingest's session as
/// present after its restart: the ingest must subscribe again on every connection or it silently receives nothing.
/// </summary>
public sealed class SharedSubscriptionRestartTests
{
    [Fact]
    public async Task BrokerRestart_SharedSubscriptionIsRenewed_AndDataFlowsAgain()
    {
        await using var central = await IngestStack.StartAsync("shared-ingest", "ingest");
        var (broker, influx, ingest) = (central.Broker, central.Influx, central.Ingest);

        await broker.StopAsync();
        await broker.StartAgainAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ingest.Client.Statistics.Connects < 2) await Task.Delay(100, cts.Token);
        // Give the renewed SUBSCRIBE its round trip; a publish before it would be dropped by the broker, which is the
        // window the README documents for shared subscriptions on mosquitto.
        await Task.Delay(1000, cts.Token);

        await using var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "after-restart" });
        await publisher.ConnectAsync(cts.Token);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await publisher.PublishAsync("fleet/gw-r/telemetry", Encoding.UTF8.GetBytes($"counter,sensor=c seq=1i {ts}\n"), MqttQos.AtLeastOnce, false, cts.Token);

        var rows = await influx.WaitForAsync("fleet", "SELECT seq FROM counter WHERE gateway = 'gw-r'", r => r.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Single(rows);
    }
}
