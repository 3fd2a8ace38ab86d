using System.Globalization;
using System.Text;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Servers;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// The broker goes away for a minute while readings flow (issue 4): the journal keeps accepting, and after the
/// broker returns everything arrives, in order per source, oldest first, before new data.
/// </summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("OUTAGE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 60);

    [Fact]
    public async Task BrokerStoppedForAMinute_EverythingArrivesInOrderPerSource()
    {
        using var cts = new CancellationTokenSource(Outage + TimeSpan.FromMinutes(3));
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(ReliabilityRig.Database);
        await using var broker = await MosquittoServer.StartAsync(ReliabilityRig.BrokerConfig);
        await using var stack = new StackRunner();
        await stack.StartIngestAsync(broker.Port, influx.Url, ReliabilityRig.Database, "outage-ingest");
        await using var rig = new ReliabilityRig();

        // A watcher with a persistent session sees the stream in the order the broker received it.
        await using var watcher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "outage-watcher", CleanSession = false, ReconnectMaxDelay = TimeSpan.FromSeconds(1) });
        watcher.Start();
        await watcher.WaitConnectedAsync(cts.Token);
        await watcher.SubscribeAsync("fleet/cp-outage/telemetry", MqttQos.AtLeastOnce, cts.Token);
        var order = new SeqOrder();
        var watching = Task.Run(async () =>
        {
            await foreach (var m in watcher.Messages.ReadAllAsync(cts.Token)) order.Add(m.Payload.Span);
        }, cts.Token);

        var agent = await stack.StartAgentAsync(rig.WriteProfile("cp-outage", broker.Port, counterRate: 200));
        await influx.WaitForAsync(ReliabilityRig.Database, "SELECT seq FROM counter WHERE gateway = 'cp-outage'", r => r.Count > 100, TimeSpan.FromSeconds(30));

        await broker.StopAsync();
        var acceptedBefore = agent.Journal.Statistics.AppendedItems;
        await Task.Delay(Outage, cts.Token);
        var backlog = agent.Journal.UnacknowledgedRecords;
        Assert.True(agent.Journal.Statistics.AppendedItems - acceptedBefore > Outage.TotalSeconds * 150, "the journal kept accepting while the broker was down");
        Assert.False(agent.Client.IsConnected);
        output.WriteLine($"backlog after {Outage.TotalSeconds} s: {backlog} batches, {agent.Journal.Bytes} bytes");
        await broker.StartAgainAsync();

        // Everything the counter produced until now arrives, with no gap.
        var target = agent.Journal.Statistics.AppendedItems;
        var rows = await influx.WaitForAsync(ReliabilityRig.Database, "SELECT seq FROM counter WHERE gateway = 'cp-outage'",
            r => r.Count >= target * 0.95 && r.Count > 0 && r.Max(x => x["seq"].GetInt64()) == r.Count, TimeSpan.FromSeconds(90));
        var seqs = rows.Select(r => r["seq"].GetInt64()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Equal(0, agent.Journal.Statistics.DroppedItems);
        Assert.Equal(0, agent.Pipeline.Statistics.Dropped);

        // In order per source at the broker: every new seq is the one after the highest seen (re-sends are repeats).
        await Task.Delay(1000, cts.Token);
        Assert.True(order.OutOfOrder == 0, order.ToString());
        Assert.True(order.Highest >= seqs[^1] - 1000, order.ToString());
        output.WriteLine(order.ToString());
    }

    /// <summary>Checks the counter lines of each message in arrival order.</summary>
    private sealed class SeqOrder
    {
        private readonly Lock _gate = new();
        public long Highest { get; private set; }
        public long OutOfOrder { get; private set; }
        public long Repeats { get; private set; }

        public void Add(ReadOnlySpan<byte> payload)
        {
            lock (_gate)
            {
                foreach (var line in Encoding.UTF8.GetString(payload).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!line.StartsWith("counter,", StringComparison.Ordinal)) continue;
                    var at = line.IndexOf(" seq=", StringComparison.Ordinal) + 5;
                    var seq = long.Parse(line.AsSpan(at, line.IndexOf('i', at) - at), CultureInfo.InvariantCulture);
                    if (seq <= Highest) Repeats++;
                    else if (seq != Highest + 1) OutOfOrder++;
                    Highest = Math.Max(Highest, seq);
                }
            }
        }

        public override string ToString() => $"highest seq seen {Highest}, out of order {OutOfOrder}, repeats {Repeats}";
    }
}
