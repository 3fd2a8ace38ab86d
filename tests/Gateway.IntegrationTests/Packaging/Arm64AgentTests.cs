using Gateway.IntegrationTests.Reliability;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// The agent as it runs on a Pi (issue 14): the arm64 binary from the arm64 package, run under qemu-aarch64-static
/// with Debian's arm64 libraries, end to end: simulated hardware, journal, mosquitto, the ingest, InfluxDB; then a
/// kill -9 and a restart under emulation, after which every reading the journal accepted is in the store.
/// </summary>
public sealed class Arm64AgentTests(ITestOutputHelper output)
{
    private const string Qemu = "qemu-aarch64-static";

    [Fact]
    public async Task Arm64Agent_UnderQemu_DeliversToInfluxDb_AndLosesNothingAcrossKill9()
    {
        Assert.True(File.Exists("/lib/ld-linux-aarch64.so.1"),
            "the arm64 C library is missing: dpkg --add-architecture arm64 && apt-get install libc6:arm64 (deploy/dev/test.sh installs it)");
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        using var root = new TempDirectory("arm64-agent");
        var (code, text) = await DebianPackages.RunAsync("dpkg-deb", ["-x", deb, root.Path]);
        Assert.True(code == 0, text);
        var agent = root.File("usr/bin/gateway-agent");

        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(ReliabilityRig.Database);
        await using var broker = await MosquittoServer.StartAsync(ReliabilityRig.BrokerConfig);
        await using var stack = new StackRunner();
        await stack.StartIngestAsync(broker.Port, influx.Url, ReliabilityRig.Database, "arm64-ingest");
        const string gateway = "cp-arm64";
        // GPS (NMEA replay through the real parser), a BME280 register model and a counter whose seq exposes any loss.
        var profile = stack.WriteProfile(gateway, broker.Port, counterRate: 200);
        var state = root.File("state");

        await using (var first = StartUnderQemu(agent, profile, state))
        {
            try
            {
                await influx.WaitForAsync(ReliabilityRig.Database, $"SELECT seq FROM counter WHERE gateway = '{gateway}'", rows => rows.Count >= 50, TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}\nthe arm64 agent's output:\n{first.Output}", ex);
            }
            Assert.False(first.HasExited, $"the arm64 agent exited (code {(first.HasExited ? first.ExitCode : 0)}):\n{first.Output}");
            Posix.SendSignal(first.Id, Posix.SIGKILL);
            await first.WaitForExitAsync();
        }
        var accepted = CrashScenario.AcceptedSoFar(state);
        output.WriteLine($"accepted before kill -9: {accepted}");
        Assert.True(accepted >= 50, $"the journal accepted only {accepted} readings before the kill");

        await using (var second = StartUnderQemu(agent, profile, state))
        {
            var rows = await influx.WaitForAsync(ReliabilityRig.Database, $"SELECT seq FROM counter WHERE gateway = '{gateway}' AND seq <= {accepted}",
                r => r.Select(x => x["seq"].GetInt64()).Distinct().Count() >= accepted, TimeSpan.FromSeconds(90));
            var stored = rows.Select(x => x["seq"].GetInt64()).ToHashSet();
            var missing = Enumerable.Range(1, (int)accepted).Where(s => !stored.Contains(s)).Take(10).ToList();
            Assert.True(missing.Count == 0, $"seqs accepted by the journal but not stored: {string.Join(", ", missing)}");
            // The restarted agent continues the counter after what the journal held (CounterCheckpoint), so a seq above
            // it proves that the second run is up and publishing, not only that the first one had delivered enough.
            await influx.WaitForAsync(ReliabilityRig.Database, $"SELECT seq FROM counter WHERE gateway = '{gateway}' AND seq > {accepted} LIMIT 1",
                r => r.Count > 0, TimeSpan.FromSeconds(90));
            await influx.WaitForAsync(ReliabilityRig.Database, $"SELECT lat FROM gps WHERE gateway = '{gateway}' LIMIT 1", r => r.Count > 0, TimeSpan.FromSeconds(30));
            await influx.WaitForAsync(ReliabilityRig.Database, $"SELECT temperature FROM env WHERE gateway = '{gateway}' LIMIT 1", r => r.Count > 0, TimeSpan.FromSeconds(30));
            await second.StopAsync(TimeSpan.FromSeconds(20));
            Assert.True(second.ExitCode == 0, $"the arm64 agent did not stop cleanly on SIGTERM (exit {second.ExitCode}):\n{second.Output}");
        }
    }

    private static ServerProcess StartUnderQemu(string agent, string profile, string state) =>
        ServerProcess.Start(Qemu, [agent, "--profile", profile, "--state-dir", state]);
}
