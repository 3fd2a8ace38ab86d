using Gateway.Agent.Uplink;
using Gateway.DiskQueue.Disk;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// The crash scenario of issue 4, extended by issue 12, shared by <see cref="CrashTests"/> and
/// <c>deploy/bench/crash.sh</c>: the agent runs as its own process with a fast counter and is killed with SIGKILL at
/// random moments; in between, the broker (persistence on, saved after every change as the fleet's generated
/// configuration does) is killed with SIGKILL or started again, and the ingest, also its own process, is killed with
/// SIGKILL and started again. At the end every seq the journal accepted must be in InfluxDB exactly once; how often
/// the broker delivered a seq more than once (at-least-once: the store keeps one) is counted by a second consumer.
/// </summary>
/// <remarks>
/// "Accepted" is exact: the agent persists, after each journal append, the counter's next seq (CounterCheckpoint),
/// and start-up also reads the newest journal record, so N = next - 1 after the last kill is the highest seq the
/// journal ever accepted, and a restarted counter re-issues any seq that was only in memory when it was killed.
/// The ingest subscribes without a share group (a single ingest, as docs/engineers.md recommends): mosquitto does not
/// keep shared subscriptions across its own restart.
/// </remarks>
internal static class CrashScenario
{
    public sealed record Result(long Accepted, long Stored, long Missing, long StoredTwice, long Redelivered, int Kills, int BrokerKills,
        int IngestKills, IReadOnlyList<long> FirstMissing)
    {
        public string Summary =>
            $"accepted {Accepted}, stored {Stored}, missing {Missing}, stored twice {StoredTwice}; delivered more than once {Redelivered} (at least once: the store keeps one)";
    }

    public static async Task<Result> RunAsync(int kills, int seed, Action<string> log, CancellationToken ct)
    {
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(ReliabilityRig.Database);
        // autosave_on_changes with MosquittoServer's autosave_interval 1: saved after every change, as generated.
        await using var broker = await MosquittoServer.StartAsync([.. ReliabilityRig.BrokerConfig, "autosave_on_changes true"]);
        await using var rig = new ReliabilityRig();
        const string gateway = "cp-crash";
        await using var audit = await DeliveryAudit.StartAsync(broker.Port, gateway, ct);
        var ingest = await ReliabilityRig.StartIngestProcessAsync(broker.Port, influx, ct);
        var profile = rig.WriteProfile(gateway, broker.Port, counterRate: 500);
        var random = new Random(seed);
        var brokerUp = true;
        var brokerKills = 0;
        var ingestKills = 0;
        try
        {
            for (var kill = 1; kill <= kills; kill++)
            {
                ct.ThrowIfCancellationRequested();
                await using var agent = rig.StartAgentProcess(profile);
                // A random moment: during start-up, while appending, while publishing, while reconnecting.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)), ct);
                if (random.NextDouble() < 0.35)
                {
                    if (brokerUp) await broker.KillAsync();
                    else await broker.StartAgainAsync();
                    brokerKills += brokerUp ? 1 : 0;
                    brokerUp = !brokerUp;
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 800)), ct);
                }
                if (random.NextDouble() < 0.3)
                {
                    await ingest.KillAsync();
                    ingestKills++;
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 800)), ct);
                    await ingest.DisposeAsync();
                    ingest = ReliabilityRig.StartIngestProcess(broker.Port, influx);
                }
                if (agent.HasExited) throw new InvalidOperationException($"The agent exited by itself (code {agent.ExitCode}):\n{agent.Output}");
                if (ingest.HasExited) throw new InvalidOperationException($"The ingest exited by itself (code {ingest.ExitCode}):\n{ingest.Output}");
                Posix.SendSignal(agent.Id, Posix.SIGKILL);
                await agent.WaitForExitAsync(ct);
                log($"kill {kill}/{kills}: broker {(brokerUp ? "up" : "down")}, accepted so far {AcceptedSoFar(rig.StateDirectory)}");
            }

            var accepted = AcceptedSoFar(rig.StateDirectory);
            if (!brokerUp) await broker.StartAgainAsync();
            // A last run delivers what the journal still holds; its own new readings (above N) are not counted.
            await using var final = rig.StartAgentProcess(profile);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            List<long> rows;
            while (true)
            {
                rows = await ReliabilityRig.StoredSeqRowsAsync(influx, gateway);
                if (CountUpTo(rows.ToHashSet(), accepted) == accepted && audit.Count(accepted).Distinct == accepted || DateTime.UtcNow > deadline) break;
                await Task.Delay(500, ct);
            }
            await final.StopAsync(TimeSpan.FromSeconds(15));
            var stored = rows.ToHashSet();
            var present = CountUpTo(stored, accepted);
            var storedTwice = rows.Count(s => s >= 1 && s <= accepted) - present;
            var missing = Enumerable.Range(1, (int)accepted).Select(i => (long)i).Where(s => !stored.Contains(s)).Take(20).ToList();
            return new Result(accepted, present, accepted - present, storedTwice, audit.Count(accepted).Redelivered, kills, brokerKills, ingestKills, missing);
        }
        finally
        {
            await ingest.DisposeAsync();
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
