using System.Text;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>A tiny quota fills while the broker is unreachable (issue 4): oldest telemetry goes, counted; events stay.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task TinyQuota_DropsOldestTelemetryCounted_KeepsEvents_AgentKeepsRunning()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = new ReliabilityRig();
        await using var stack = new StackRunner();
        // The watcher's session exists before the agent can ever connect: the broker is started once, the watcher
        // subscribes with a persistent session and the broker stops (saving it). The agent reconnects within a
        // second of the broker coming back, so a watcher that subscribed only then could miss the one data_loss
        // event of the episode; with a stored session the broker queues it for the watcher whichever comes first.
        await using var broker = await MosquittoServer.StartAsync(ReliabilityRig.BrokerConfig);
        var watcherOptions = new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "quota-watcher", CleanSession = false };
        await using (var first = new MqttClient(watcherOptions))
        {
            await first.ConnectAsync(cts.Token);
            await first.SubscribeAsync("fleet/cp-quota/#", MqttQos.AtLeastOnce, cts.Token);
            await first.DisconnectAsync(cts.Token);
        }
        await broker.StopAsync();
        var brokerPort = broker.Port;
        const long quota = 64 * 1024;
        var profile = rig.WriteProfile("cp-quota", brokerPort, counterRate: 500,
            journal: new { quotaBytes = quota, segmentBytes = 8192, minFreeBytes = 0, metricsIntervalMs = 500 });
        var agent = await stack.StartAgentAsync(profile);

        // 500 readings/s of ~70 bytes fill 64 KiB in about two seconds.
        while (agent.Journal.Statistics.DroppedItems == 0) await Task.Delay(200, cts.Token);
        await Task.Delay(2000, cts.Token);
        Assert.True(agent.Journal.Bytes <= quota, $"{agent.Journal.Bytes} bytes on disk exceed the quota of {quota}");
        var dropped = agent.Journal.Statistics.DroppedItems;
        Assert.True(dropped > 500);
        Assert.True(agent.Pipeline.Statistics.Accepted > dropped, "the agent keeps accepting readings");

        // The broker appears: the data_loss event (kept by the quota) and the newest telemetry arrive, and the
        // self-metrics report the drops.
        await broker.StartAgainAsync();
        await using var watcher = new MqttClient(watcherOptions);
        await watcher.ConnectAsync(cts.Token);
        string? dataLoss = null;
        long reportedDropped = 0;
        while (dataLoss is null || reportedDropped == 0)
        {
            var m = await watcher.Messages.ReadAsync(cts.Token);
            var text = Encoding.UTF8.GetString(m.Payload.Span);
            if (m.Topic == "fleet/cp-quota/events" && text.Contains("kind=data_loss", StringComparison.Ordinal)) dataLoss = text;
            foreach (var line in text.Split('\n'))
            {
                var at = line.StartsWith("gateway,", StringComparison.Ordinal) ? line.IndexOf("dropped=", StringComparison.Ordinal) : -1;
                if (at >= 0) reportedDropped = Math.Max(reportedDropped, long.Parse(line.AsSpan(at + 8, line.IndexOf('i', at + 8) - at - 8), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        Assert.Contains("the journal is full", dataLoss);
        Assert.True(reportedDropped > 0);
        Assert.True(agent.Client.IsConnected);
    }
}
