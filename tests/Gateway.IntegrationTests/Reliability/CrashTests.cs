using System.Globalization;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// kill -9 at random moments (issue 4): no reading the journal accepted is lost. <c>deploy/bench/crash.sh KILLS</c>
/// runs the same scenario with more kills (CRASH_KILLS) and prints its summary line (CRASH_REPORT).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SigkillAtRandomMoments_WithBrokerUpAndDown_EveryAcceptedSeqIsStored()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CRASH_KILLS"), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 20;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CRASH_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount & 0xFFFF;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5 + kills / 4));
        var result = await CrashScenario.RunAsync(kills, seed, output.WriteLine, cts.Token);
        output.WriteLine($"seed {seed}, {result.Kills} kills, {result.BrokerToggles} broker stops/starts");
        output.WriteLine(result.Summary);
        if (Environment.GetEnvironmentVariable("CRASH_REPORT") is { Length: > 0 } report)
            await File.WriteAllTextAsync(report, $"seed {seed}, {result.Kills} kills, {result.BrokerToggles} broker stops/starts\n{result.Summary}\n");

        Assert.True(result.Accepted > 1000, $"the scenario accepted only {result.Accepted} readings; the agent did not run long enough");
        Assert.True(result.Missing == 0, $"{result.Summary} (seed {seed}); first missing: {string.Join(", ", result.FirstMissing)}");
    }
}
