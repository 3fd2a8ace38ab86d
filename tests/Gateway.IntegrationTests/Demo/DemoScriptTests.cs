using System.Diagnostics;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Demo;

/// <summary>
/// deploy/dev/demo.sh run headless, as a user runs it, on free ports with its own state directory and the binaries the
/// build made (DEMO_NO_BUILD=1): closing its terminal (output gone, then SIGHUP) stops every process it started, a demo
/// left running is stopped by `demo.sh stop`, and a port in use names the process holding it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DemoScriptTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _state = new("demo");
    private readonly Dictionary<string, string> _env;

    public DemoScriptTests()
    {
        var influx = FreePort.Next();
        _env = new()
        {
            ["MQTT_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["INFLUX_PORT"] = influx.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DASHBOARD_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEMO_STATE"] = _state.File("state"),
            ["DEMO_NO_BUILD"] = "1",
            ["SIM_GATEWAYS"] = "1",
        };
    }

    public void Dispose()
    {
        // Whatever a failed assertion left running goes too.
        RunScript("stop").WaitForExit(60_000);
        _state.Dispose();
    }

    [Fact]
    public async Task ClosingTheTerminal_StopsEveryProcess_AndStopStopsADemoLeftRunning()
    {
        // 1. The terminal goes away: its output pipe is closed (every echo now fails), then SIGHUP.
        using (var demo = RunScript())
        {
            await WaitForLineAsync(demo, "First points in InfluxDB");
            var started = Started();
            Assert.Equal(6, started.Count); // the script, mosquitto, influxd, ingest, agent, fleet simulator
            Assert.All(started, p => Assert.True(IsRunning(p), $"{p.Exe} ({p.Pid}) is not running"));
            demo.StandardOutput.Close();
            demo.StandardError.Close();
            Posix.SendSignal(demo.Id, Posix.SIGHUP);
            await demo.WaitForExitAsync().WaitAsync(Bound);
            Assert.All(started, p => Assert.False(IsRunning(p), $"{p.Exe} ({p.Pid}) is still running after SIGHUP"));
            Assert.False(File.Exists(PidsFile));
        }

        // 2. Started again on the same state, then stopped from another shell; meanwhile a second demo on the same ports
        //    is refused with the name of the process that holds the first port.
        using (var demo = RunScript())
        {
            await WaitForLineAsync(demo, "First points in InfluxDB");
            var started = Started();
            using (var second = RunScript(state: _state.File("other")))
            {
                var error = await second.StandardError.ReadToEndAsync();
                await second.WaitForExitAsync().WaitAsync(Bound);
                Assert.Equal(1, second.ExitCode);
                Assert.Contains($"Port {_env["MQTT_PORT"]} on 127.0.0.1 is already in use by mosquitto (pid {started[1].Pid}", error, StringComparison.Ordinal);
            }
            using var stop = RunScript("stop");
            Assert.Contains("Demo stopped", await stop.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
            await stop.WaitForExitAsync().WaitAsync(Bound);
            Assert.Equal(0, stop.ExitCode);
            await demo.WaitForExitAsync().WaitAsync(Bound);
            Assert.All(started, p => Assert.False(IsRunning(p), $"{p.Exe} ({p.Pid}) is still running after demo.sh stop"));
        }
    }

    [Fact]
    public async Task SecureDemo_EveryConnectionAuthenticated_PointsArrive_AndStopStopsIt()
    {
        using var demo = RunScript("--secure");
        // The agent's counter reached InfluxDB: agent -> broker over mutual TLS -> ingest over mutual TLS -> InfluxDB as the write user.
        await WaitForLineAsync(demo, "First points in InfluxDB");
        var started = Started();
        var state = _env["DEMO_STATE"];

        // InfluxDB refuses anonymous queries; the dashboard answers over HTTPS with a certificate of the demo's CA, with HSTS.
        using (var anonymous = new HttpClient())
        {
            var refused = await anonymous.GetAsync(new Uri($"http://127.0.0.1:{_env["INFLUX_PORT"]}/query?q=SHOW%20DATABASES"));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using var root = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(state, "pki/ca/ca.crt")));
        using (var client = new HttpClient(TrustOnly.Handler(root)))
        {
            using var login = await client.GetAsync(new Uri($"https://127.0.0.1:{_env["DASHBOARD_PORT"]}/login"));
            Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
            Assert.True(login.Headers.Contains("Strict-Transport-Security"));
        }
        // The simulated fleet runs too, each gateway with its own certificate: the dashboard shows it online, and its
        // asset tags, as in the plain demo.
        Assert.Equal(6, started.Count); // the script, mosquitto, influxd, ingest, agent, fleet simulator
        using var cts = new CancellationTokenSource(Bound);
        using var dashboard = await DashboardSession.LogInAsync(new Uri($"https://127.0.0.1:{_env["DASHBOARD_PORT"]}/"), root, "demo", "demo-password", cts.Token);
        await dashboard.WaitForAsync("gateways", g => g.EnumerateArray().Any(x => x.GetProperty("id").GetString() == "sim-0001" && x.GetProperty("online").GetBoolean()), cts.Token);
        await dashboard.WaitForAsync("assets", a => a.GetArrayLength() > 0, cts.Token);
        // The broker serves TLS only: the generated configuration, with client certificates required.
        Assert.Contains("require_certificate true", await File.ReadAllTextAsync(Path.Combine(state, "mosquitto/mosquitto.conf")), StringComparison.Ordinal);

        using var stop = RunScript("stop");
        await stop.WaitForExitAsync().WaitAsync(Bound);
        Assert.Equal(0, stop.ExitCode);
        await demo.WaitForExitAsync().WaitAsync(Bound);
        Assert.All(started, p => Assert.False(IsRunning(p), $"{p.Exe} ({p.Pid}) is still running after demo.sh stop"));
    }

    private string PidsFile => Path.Combine(_env["DEMO_STATE"], "demo.pids");

    private List<(int Pid, string Exe)> Started() =>
        [.. File.ReadAllLines(PidsFile).Select(l => l.Split(' ', 2)).Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p[1]))];

    private static bool IsRunning((int Pid, string Exe) p)
    {
        try
        {
            return new FileInfo($"/proc/{p.Pid}/exe").LinkTarget == p.Exe;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private Process RunScript(string? argument = null, string? state = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryRoot.Path };
        info.ArgumentList.Add("deploy/dev/demo.sh");
        if (argument is not null) info.ArgumentList.Add(argument);
        foreach (var (k, v) in _env) info.Environment[k] = v;
        if (state is not null) info.Environment["DEMO_STATE"] = state;
        return Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
    }

    private static async Task WaitForLineAsync(Process demo, string text)
    {
        using var cts = new CancellationTokenSource(Bound);
        var seen = new System.Text.StringBuilder();
        while (await demo.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(text, StringComparison.Ordinal)) return;
        }
        throw new InvalidOperationException($"demo.sh ended before '{text}'; it said:\n{seen}\n{await demo.StandardError.ReadToEndAsync()}");
    }
}
