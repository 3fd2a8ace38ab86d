using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Agent;
using Gateway.Cli;
using Gateway.IntegrationTests.Central;
using Gateway.IntegrationTests.Central.Support;
using Gateway.IntegrationTests.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The secure site exactly as docs/engineers.md tells a new engineer to build it, as ONE path (each part also has its
/// own tests; this one proves they fit together, which once they did not): <c>deploy/central/setup.sh</c> on the
/// server; on the laptop a copy of its CA, an operator and a gateway certificate, the CA copied back and setup.sh run
/// again; then the broker and the ingest from the files setup.sh installed, a gateway with the profile's documented
/// <c>broker.tls</c> section, the simulated fleet with its own certificates, the dashboard over HTTPS with the
/// generated <c>ops</c> password, an alert on <c>fleet/alerts</c> and operator commands with <c>gatewayctl cmd</c>.
/// What differs from a real server: <c>--root</c> (setup.sh starts nothing, so the test starts mosquitto and the
/// ingest as their units do), the broker's configuration directory and port rewritten to the test's, and the
/// ingest's broker port, dashboard address and state directory given by its documented flags.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecureSiteFromTheDocsTests
{
    [Fact]
    public async Task DocumentedSteps_GiveAWorkingSecureSite_Readings_Dashboard_Alerts_Commands()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await using var influx = await InfluxServer.StartAsync(auth: true, createAdmin: false);
        using var server = new TempDirectory("site-root");
        using var laptop = new TempDirectory("laptop");
        string Etc(string path) => Path.Combine(server.Path, "etc", path);

        // 1. On the server: the one command.
        var (code, output) = await CentralSetupTests.RunSetupAsync(server.Path, influx.Url);
        Assert.True(code == 0, output);

        // 2. On the laptop: the CA copied from the server, an operator and a gateway certificate issued there.
        var ca = laptop.File("fleet-ca");
        var certs = laptop.File("fleet-certs");
        CopyFiles(Etc("gateway-fleet/ca"), ca);
        Ctl("cert", "issue", "alice", "--role", "operator", "--ca", ca, "--out", certs);
        Ctl("cert", "issue", "cp-bravo-02", "--role", "gateway", "--ca", ca, "--out", certs);

        // 3. The CA copied back and setup.sh again: the ACL now grants the operator (the broker would refuse alice's commands otherwise).
        CopyFiles(ca, Etc("gateway-fleet/ca"));
        (code, output) = await CentralSetupTests.RunSetupAsync(server.Path, influx.Url);
        Assert.True(code == 0, output);
        Assert.Contains($"wrote {Etc("mosquitto/fleet/acl")}", output, StringComparison.Ordinal);
        Assert.Contains("user alice", await File.ReadAllTextAsync(Etc("mosquitto/fleet/acl"), stop.Token), StringComparison.Ordinal);

        // 4. The broker and the central service from the installed files.
        var mqttPort = FreePort.Next();
        var dashboardPort = FreePort.Next();
        using var run = new TempDirectory("site-run");
        var conf = run.File("mosquitto.conf");
        await File.WriteAllTextAsync(conf, (await File.ReadAllTextAsync(Etc("mosquitto/fleet/mosquitto.conf"), stop.Token))
            .Replace("/etc/mosquitto/fleet", Etc("mosquitto/fleet"), StringComparison.Ordinal)
            .Replace("listener 8883", $"listener {mqttPort} 127.0.0.1", StringComparison.Ordinal)
            .Replace("persistence_location /var/lib/mosquitto/", $"persistence_location {run.Path}/", StringComparison.Ordinal)
            .Replace("user mosquitto", "user root", StringComparison.Ordinal), stop.Token);
        await using var mosquitto = ServerProcess.Start("stdbuf", ["-oL", "mosquitto", "-c", conf]);
        await FreePort.WaitForListenerAsync(mqttPort, TimeSpan.FromSeconds(15), () => mosquitto.Output);
        var port = mqttPort.ToString(CultureInfo.InvariantCulture);
        await using var ingest = ServerProcess.Start(Path.Combine(server.Path, "opt/gateway-ingest/gateway-ingest"),
            ["--config", Etc("gateway-ingest/central.json"), "--broker", $"localhost:{port}", "--http", $"https://127.0.0.1:{dashboardPort}",
                "--state-dir", run.File("ingest-state")]);
        await FreePort.WaitForListenerAsync(dashboardPort, TimeSpan.FromSeconds(60), () => ingest.Output);

        // 5. A gateway with the profile's documented broker section (the files provision installs), and the simulated fleet.
        var profile = laptop.File("cp-bravo-02.json");
        await File.WriteAllTextAsync(profile, $$"""
            { "gatewayId": "cp-bravo-02", "site": { "name": "Bravo", "latitude": 8.48, "longitude": -13.23 },
              "broker": { "host": "localhost", "port": {{port}}, "keepAliveSeconds": 60, "reconnectMaxSeconds": 2,
                "tls": { "caFile": "{{ca}}/ca.crt", "certFile": "{{certs}}/cp-bravo-02.crt", "keyFile": "{{certs}}/cp-bravo-02.key" } },
              "pipeline": { "batchMaxDelayMs": 200 },
              "sources": [ { "type": "counter", "name": "seq", "ratePerSecond": 2 } ] }
            """, stop.Token);
        var ready = new TaskCompletionSource<AgentWorker>(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = Task.Run(() => AgentHost.RunAsync(["--profile", profile, "--state-dir", run.File("agent-state")], stop.Token, w => ready.TrySetResult(w)));
        await (await ready.Task.WaitAsync(TimeSpan.FromSeconds(30))).Client.WaitConnectedAsync(stop.Token);
        var simCerts = laptop.File("sim-certs");
        Ctl("simulate", "fleet", "-h", "localhost", "-p", port, "--cafile", $"{ca}/ca.crt", "--certs", simCerts, "--ca", ca, "--gateways", "2", "--burst", "2");

        // 6. Readings of both reach the authenticated store (as the write user; read here as the admin setup.sh made).
        influx.UseAdmin((await File.ReadAllTextAsync(Etc("influxdb/admin-password"), stop.Token)).Trim());
        var rows = await influx.WaitForAsync("fleet", "SELECT count(seq) FROM counter GROUP BY gateway", r => r.Count >= 3, TimeSpan.FromSeconds(60));
        Assert.Equal(["cp-bravo-02", "sim-0001", "sim-0002"], rows.Select(r => r["gateway"].GetString()).Order(StringComparer.Ordinal));

        // 7. The operator watches fleet/alerts; a simulated gateway's door opens; the ingest's alert reaches the operator.
        await using var alice = new MqttClient(new MqttClientOptions
        {
            Host = "localhost", Port = mqttPort, ClientId = "alice-alerts", ProtocolVersion = MqttProtocolVersion.V500,
            Tls = new MqttTlsOptions { CaFile = $"{ca}/ca.crt", CertificateFile = $"{certs}/alice.crt", KeyFile = $"{certs}/alice.key" },
        });
        await alice.ConnectAsync(stop.Token);
        await alice.SubscribeAsync("fleet/alerts", MqttQos.AtLeastOnce, stop.Token);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        Ctl("pub", "-h", "localhost", "-p", port, "--cafile", $"{ca}/ca.crt", "--cert", $"{simCerts}/sim-0001.crt", "--key", $"{simCerts}/sim-0001.key",
            "-V", "mqttv5", "-q", "1", "-t", "fleet/sim-0001/telemetry", "-m", $"input,sensor=door state=true,alarm=true {now}");
        var alert = Encoding.UTF8.GetString((await alice.Messages.ReadAsync(stop.Token)).Payload.Span);
        Assert.Contains("\"state\":\"raised\"", alert, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"enclosure_input:gateway/sim-0001/door\"", alert, StringComparison.Ordinal);

        // 8. The dashboard over HTTPS (the certificate setup.sh issued, trusted through the fleet CA only), the generated
        //    ops password: every gateway (the burst's simulated ones have said goodbye by now, the agent is online), the
        //    alert, and history read through the read-only user.
        using var fleetCa = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync($"{ca}/ca.crt", stop.Token));
        var ops = (await File.ReadAllTextAsync(Etc("gateway-ingest/dashboard-ops-password"), stop.Token)).Trim();
        using var dashboard = await DashboardSession.LogInAsync(new Uri($"https://localhost:{dashboardPort}/"), fleetCa, "ops", ops, stop.Token);
        await dashboard.WaitForAsync("gateways", g => new[] { "cp-bravo-02", "sim-0001", "sim-0002" }.All(id => g.EnumerateArray().Any(x => x.GetProperty("id").GetString() == id))
            && g.EnumerateArray().Any(x => x.GetProperty("id").GetString() == "cp-bravo-02" && x.GetProperty("online").GetBoolean()), stop.Token);
        await dashboard.WaitForAsync("alerts", a => a.EnumerateArray().Any(x => x.GetProperty("id").GetString() == "enclosure_input:gateway/sim-0001/door"), stop.Token);
        var history = await dashboard.GetAsync("history/gateway/sim-0001", stop.Token);
        Assert.Contains(history.GetProperty("series").EnumerateArray(), s => s.GetProperty("points").GetArrayLength() > 0);

        // 9. The operator's commands, as documented: gatewayctl cmd (the agent subscribes right after connecting: ask
        //    until it answers), and set-rate with its arguments on stdin (-s) through the real executable.
        string[] connection = ["-h", "localhost", "-p", port, "--cafile", $"{ca}/ca.crt", "--cert", $"{certs}/alice.crt", "--key", $"{certs}/alice.key"];
        var (status, reply) = (0, "");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (status, reply) = CtlCode(["cmd", "cp-bravo-02", "status", .. connection, "-W", "5"]);
            if (status != 2) break;
        }
        Assert.True(status == 0, reply);
        Assert.Contains("\"gateway\":\"cp-bravo-02\",\"command\":\"status\",\"ok\":true", reply, StringComparison.Ordinal);
        var (setRate, setRateOutput) = await GatewayCtlProcessAsync(["cmd", "cp-bravo-02", "set-rate", "-s", .. connection, "-W", "10"],
            """{ "source": "seq", "ratePerSecond": 5 }""", stop.Token);
        Assert.True(setRate == 0, setRateOutput);
        Assert.Contains("\"ratePerSecond\":5,\"previousRatePerSecond\":2", setRateOutput, StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await agent.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    private static void Ctl(params string[] args)
    {
        var (code, output) = CtlCode(args);
        Assert.True(code == 0, $"gatewayctl {string.Join(' ', args)}: exit {code}\n{output}");
    }

    private static (int Code, string Output) CtlCode(string[] args)
    {
        var (code, output, error) = GatewayCtlRunner.Run(args);
        return (code, output + error);
    }

    /// <summary>The built gatewayctl as a process, <paramref name="stdin"/> on its standard input.</summary>
    private static async Task<(int Code, string Output)> GatewayCtlProcessAsync(string[] args, string stdin, CancellationToken ct)
    {
        var info = new ProcessStartInfo(Path.Combine(RepositoryRoot.Path, "src/Gateway.Cli/bin/Release/net10.0/gatewayctl"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await output + await error);
    }
}
