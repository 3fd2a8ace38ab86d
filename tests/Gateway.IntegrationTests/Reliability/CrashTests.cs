using System.Globalization;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// kill -9 at random moments, of the agent (issue 4), the broker and the ingest (issue 12): no reading the journal
/// accepted is lost or stored twice; redeliveries are counted and reported. <c>deploy/bench/crash.sh KILLS</c>
/// runs the same scenario with more kills (CRASH_KILLS) and prints its summary line (CRASH_REPORT).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SigkillOfAgentBrokerAndIngest_AtRandomMoments_EveryAcceptedSeqIsStoredExactlyOnce()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CRASH_KILLS"), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 20;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CRASH_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount & 0xFFFF;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5 + kills / 4));
        var result = await CrashScenario.RunAsync(kills, seed, output.WriteLine, cts.Token);
        var killed = $"seed {seed}, {result.Kills} agent kills, {result.BrokerKills} broker kills, {result.IngestKills} ingest kills";
        output.WriteLine(killed);
        output.WriteLine(result.Summary);
        if (Environment.GetEnvironmentVariable("CRASH_REPORT") is { Length: > 0 } report)
            await File.WriteAllTextAsync(report, $"{killed}\n{result.Summary}\n");

        Assert.True(result.Accepted > 1000, $"the scenario accepted only {result.Accepted} readings; the agent did not run long enough");
        Assert.True(result.Missing == 0 && result.StoredTwice == 0, $"{result.Summary} (seed {seed}); first missing: {string.Join(", ", result.FirstMissing)}");
    }
}
