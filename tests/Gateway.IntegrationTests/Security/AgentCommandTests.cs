using System.Globalization;
using Gateway.Agent;
using Gateway.Cli;
using Gateway.Cli.Pki;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// Downlink commands end to end: a real agent connected over mutual TLS to the mosquitto of <c>gatewayctl broker
/// config</c>, and <c>gatewayctl cmd</c> with an operator's certificate (and, refused, with a gateway's).
/// </summary>
public sealed class AgentCommandTests
{
    [Fact]
    public async Task OperatorCommands_AreAnsweredByTheAgent_AndRestartStopsIt()
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("gw-a", CertificateRole.Gateway);
        fleet.Issue("alice", CertificateRole.Operator);
        await fleet.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ready = new TaskCompletionSource<AgentWorker>(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = Task.Run(() => AgentHost.RunAsync(["--profile", WriteProfile(fleet, "gw-a"), "--state-dir", Path.Combine(fleet.Root, "state")],
            stop.Token, w => ready.TrySetResult(w)));
        var worker = await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await worker.Client.WaitConnectedAsync(stop.Token);

        // The agent subscribes right after connecting; the first command may race it, so ask until it answers.
        var (code, output, error) = (0, "", "");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (code, output, error) = fleet.Cmd("alice", 3, "gw-a", "status");
            if (code != CmdTimeout) break;
        }
        Assert.True(code == 0, $"{output}\n{error}\n{fleet.Output}");
        Assert.Contains("\"ok\":true", output, StringComparison.Ordinal);
        Assert.Contains("\"connected\":true", output, StringComparison.Ordinal);
        Assert.Contains("\"tls\":true", output, StringComparison.Ordinal);

        (code, output, error) = Cmd(fleet, "alice", "gw-a", "self-test");
        Assert.True(code == 0, $"{output}\n{error}");
        Assert.Contains("\"name\":\"certificate\",\"ok\":true", output, StringComparison.Ordinal);

        // set-rate really paces the counter (2/s in the profile): at 200/s the readings' rate follows, loosely counted.
        var before = await ReadingsPerSecondAsync(worker);
        (code, output, error) = Cmd(fleet, "alice", "gw-a", "set-rate", "source=counter", "ratePerSecond=200");
        Assert.True(code == 0, $"{output}\n{error}");
        Assert.Contains("\"ratePerSecond\":200,\"previousRatePerSecond\":2,", output, StringComparison.Ordinal);
        Assert.Contains("until the agent restarts or reload-config", output, StringComparison.Ordinal);
        var after = await ReadingsPerSecondAsync(worker);
        Assert.True(after >= 10 * before, $"{before:0.#} readings/s at 2/s, {after:0.#} readings/s at 200/s");
        // ... and they cross the real broker: everything accepted so far is published and acknowledged.
        var accepted = worker.Pipeline.Statistics.Accepted;
        await WaitUntilAsync(() => worker.Publisher.PublishedReadings >= accepted, TimeSpan.FromSeconds(30),
            () => $"{worker.Publisher.PublishedReadings} of {accepted} readings published");

        (code, output, error) = Cmd(fleet, "alice", "gw-a", "status");
        Assert.True(code == 0, $"{output}\n{error}");
        Assert.Contains("{\"name\":\"counter\",\"type\":\"counter\",\"ratePerSecond\":200,\"profileRatePerSecond\":2}", output, StringComparison.Ordinal);

        (code, output, _) = Cmd(fleet, "alice", "gw-a", "set-rate", "source=counter", "ratePerSecond=0.0001");
        Assert.Equal(1, code);
        Assert.Contains("slower than one reading an hour", output, StringComparison.Ordinal);

        (code, output, _) = Cmd(fleet, "alice", "gw-a", "reboot-now");
        Assert.Equal(1, code);
        Assert.Contains("unknown command", output, StringComparison.Ordinal);

        (code, output, error) = Cmd(fleet, "alice", "gw-a", "restart");
        Assert.True(code == 0, $"{output}\n{error}");
        // The agent stops cleanly after replying (systemd's Restart=always would start it again).
        Assert.Equal(0, await agent.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task CommandFromAGatewayCertificate_IsRefusedByTheBroker()
    {
        await using var fleet = new FleetBroker();
        fleet.Issue("gw-a", CertificateRole.Gateway);
        fleet.Issue("gw-b", CertificateRole.Gateway);
        await fleet.StartAsync();

        var (code, output, error) = Cmd(fleet, "gw-b", "gw-a", "restart");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("not authorized", error, StringComparison.Ordinal);
    }

    private const int CmdTimeout = 2;

    /// <summary>
    /// Readings the agent accepted per second over a few seconds of wall-clock time: a loose measure (the self-metrics
    /// add one now and then; a loaded machine stretches the window, and the counter catches up by elapsed time).
    /// </summary>
    private static async Task<double> ReadingsPerSecondAsync(AgentWorker worker)
    {
        var start = worker.Pipeline.Statistics.Accepted;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        return (worker.Pipeline.Statistics.Accepted - start) / watch.Elapsed.TotalSeconds;
    }

    private static async Task WaitUntilAsync(Func<bool> done, TimeSpan timeout, Func<string> state)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(watch.Elapsed < timeout, state());
            await Task.Delay(50);
        }
    }

    private static (int Code, string Output, string Error) Cmd(FleetBroker fleet, string certificate, params string[] command) =>
        fleet.Cmd(certificate, 15, command);


    internal static string WriteProfile(FleetBroker fleet, string id)
    {
        var path = Path.Combine(fleet.Root, $"{id}.json");
        File.WriteAllText(path, $$"""
            { "gatewayId": "{{id}}", "site": { "name": "Test", "latitude": 8.48, "longitude": -13.23 },
              "broker": { "host": "127.0.0.1", "port": {{fleet.Port}}, "keepAliveSeconds": 10, "reconnectMaxSeconds": 2,
                "tls": { "caFile": "{{Path.Combine(fleet.CaDir, "ca.crt")}}", "certFile": "{{Path.Combine(fleet.CertDir, $"{id}.crt")}}",
                         "keyFile": "{{Path.Combine(fleet.CertDir, $"{id}.key")}}" } },
              "pipeline": { "batchMaxDelayMs": 200 },
              "sources": [ { "type": "counter", "name": "counter", "ratePerSecond": 2 } ] }
            """);
        return path;
    }
}
