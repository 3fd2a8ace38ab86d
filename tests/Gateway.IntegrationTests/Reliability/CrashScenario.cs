using Gateway.Agent.Uplink;
using Gateway.DiskQueue.Disk;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// The crash scenario of issue 4, shared by <see cref="CrashTests"/> and <c>deploy/bench/crash.sh</c>: the agent runs
/// as its own process with a fast counter and is killed with SIGKILL at random moments, with the broker stopped and
/// started in between; at the end every seq the journal accepted must be in InfluxDB.
/// </summary>
/// <remarks>
/// "Accepted" is exact: the agent persists, after each journal append, the counter's next seq (CounterCheckpoint),
/// and start-up also reads the newest journal record, so N = next - 1 after the last kill is the highest seq the
/// journal ever accepted, and a restarted counter re-issues any seq that was only in memory when it was killed.
/// </remarks>
internal static class CrashScenario
{
    public sealed record Result(long Accepted, long Stored, long Missing, int Kills, int BrokerToggles, IReadOnlyList<long> FirstMissing)
    {
        public string Summary => $"accepted {Accepted}, stored {Stored}, missing {Missing}";
    }

    public static async Task<Result> RunAsync(int kills, int seed, Action<string> log, CancellationToken ct)
    {
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(ReliabilityRig.Database);
        await using var broker = await MosquittoServer.StartAsync(ReliabilityRig.BrokerConfig);
        await using var stack = new StackRunner();
        await stack.StartIngestAsync(broker.Port, influx.Url, ReliabilityRig.Database, "crash-ingest");
        await using var rig = new ReliabilityRig();
        const string gateway = "cp-crash";
        var profile = rig.WriteProfile(gateway, broker.Port, counterRate: 500);
        var random = new Random(seed);
        var brokerUp = true;
        var toggles = 0;

        for (var kill = 1; kill <= kills; kill++)
        {
            ct.ThrowIfCancellationRequested();
            await using var agent = rig.StartAgentProcess(profile);
            // A random moment: during start-up, while appending, while publishing, while reconnecting.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)), ct);
            if (random.NextDouble() < 0.35)
            {
                if (brokerUp) await broker.StopAsync();
                else await broker.StartAgainAsync();
                brokerUp = !brokerUp;
                toggles++;
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 800)), ct);
            }
            if (agent.HasExited) throw new InvalidOperationException($"The agent exited by itself (code {agent.ExitCode}):\n{agent.Output}");
            Posix.SendSignal(agent.Id, Posix.SIGKILL);
            await agent.WaitForExitAsync(ct);
            log($"kill {kill}/{kills}: broker {(brokerUp ? "up" : "down")}, accepted so far {AcceptedSoFar(rig.StateDirectory)}");
        }

        var accepted = AcceptedSoFar(rig.StateDirectory);
        if (!brokerUp) await broker.StartAgainAsync();
        // A last run delivers what the journal still holds; its own new readings (above N) are not counted.
        await using (var final = rig.StartAgentProcess(profile))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            HashSet<long> stored;
            while (true)
            {
                stored = await ReliabilityRig.StoredSeqsAsync(influx, gateway);
                if (CountUpTo(stored, accepted) == accepted || DateTime.UtcNow > deadline) break;
                await Task.Delay(500, ct);
            }
            await final.StopAsync(TimeSpan.FromSeconds(15));
            var present = CountUpTo(stored, accepted);
            var missing = Enumerable.Range(1, (int)accepted).Select(i => (long)i).Where(s => !stored.Contains(s)).Take(20).ToList();
            return new Result(accepted, present, accepted - present, kills, toggles, missing);
        }
    }

    private static long CountUpTo(HashSet<long> stored, long n) => stored.Count(s => s >= 1 && s <= n);

    /// <summary>The highest seq the journal accepted: what a restarted agent would continue after, minus one.</summary>
    /// <remarks>Only while no agent holds the journal's lock (after a kill or a stop).</remarks>
    internal static long AcceptedSoFar(string stateDirectory)
    {
        using var journal = DiskJournal.Open(new DiskJournalOptions { Directory = Path.Combine(stateDirectory, "journal"), MinFreeDiskBytes = 0 });
        return CounterCheckpoint.ResolveNext(stateDirectory, "seq", journal) - 1;
    }
}
