using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>Bytes flipped in the middle of a journal segment (issue 4): start-up succeeds, the damage is quarantined and counted.</summary>
public sealed class CorruptionTests
{
    [Fact]
    public async Task FlippedBytesInASegment_StartupSucceeds_QuarantinedCounted_RestDelivered()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var rig = new ReliabilityRig();
        var brokerPort = FreePort.Next();
        var profile = rig.WriteProfile("cp-corrupt", brokerPort, counterRate: 500,
            journal: new { segmentBytes = 16384, metricsIntervalMs = 500 });

        // Fill several segments while no broker listens, then stop the agent cleanly.
        await using (var first = rig.StartAgentProcess(profile))
        {
            var telemetry = Path.Combine(rig.StateDirectory, "journal", "telemetry");
            while (!Directory.Exists(telemetry) || Directory.GetFiles(telemetry, "*.seg").Length < 4) await Task.Delay(200, cts.Token);
            await first.StopAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, first.ExitCode);
        }
        var segments = Directory.GetFiles(Path.Combine(rig.StateDirectory, "journal", "telemetry"), "*.seg").Order(StringComparer.Ordinal).ToArray();
        var victim = segments[1];
        var bytes = await File.ReadAllBytesAsync(victim, cts.Token);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 8; i++) bytes[i] ^= 0xA5;
        await File.WriteAllBytesAsync(victim, bytes, cts.Token);

        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(ReliabilityRig.Database);
        await using var broker = await MosquittoServer.StartAtPortAsync(brokerPort, ReliabilityRig.BrokerConfig);
        await using var stack = new StackRunner();
        await stack.StartIngestAsync(broker.Port, influx.Url, ReliabilityRig.Database, "corrupt-ingest");
        await using var second = rig.StartAgentProcess(profile);

        // The damaged record's readings are missing as one gap; everything else arrives; the metrics say why.
        var rows = await influx.WaitForAsync(ReliabilityRig.Database, "SELECT max(corrupt) FROM gateway WHERE gateway = 'cp-corrupt'",
            r => r.Count > 0 && r[0]["max"].GetInt64() >= 1, TimeSpan.FromSeconds(60));
        Assert.Equal(1, rows[0]["max"].GetInt64());
        Assert.Single(Directory.GetFiles(Path.Combine(rig.StateDirectory, "journal", "quarantine")));
        Assert.Contains("quarantine", second.Output);

        HashSet<long> stored = [];
        long highest = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            stored = await ReliabilityRig.StoredSeqsAsync(influx, "cp-corrupt");
            highest = stored.Count == 0 ? 0 : stored.Max();
            var gaps = Gaps(stored, highest);
            if (gaps.Count == 1) break;
            await Task.Delay(500, cts.Token);
        }
        var gap = Assert.Single(Gaps(stored, highest));
        Assert.InRange(gap.Length, 1, 200); // one batch of at most batchMaxReadings
        Assert.True(gap.First > 1);
    }

    private static List<(long First, long Length)> Gaps(HashSet<long> stored, long highest)
    {
        var gaps = new List<(long, long)>();
        for (long s = 1; s <= highest; s++)
        {
            if (stored.Contains(s)) continue;
            var start = s;
            while (s <= highest && !stored.Contains(s)) s++;
            gaps.Add((start, s - start));
        }
        return gaps;
    }
}
