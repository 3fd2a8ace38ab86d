using System.Text.Json;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Packaging;

/// <summary>
/// The amd64 gatewayctl and gateway-ingest packages (issue 14): lintian finds no error, gatewayctl runs from where the
/// package puts it, and the ingest started with its packaged unit's own command line stores a gateway's readings in
/// InfluxDB and serves the dashboard. The packages are unpacked with dpkg-deb -x (the ingest's maintainer scripts
/// create a system user, which a test must not do on the machine it runs on).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CentralPackagesTests
{
    [Fact]
    public async Task GatewayctlAndIngest_Amd64_LintianReportsNoErrors()
    {
        await DebianPackages.AssertLintianFindsNoErrorAsync(await DebianPackages.GetAsync("gatewayctl", "amd64"), await DebianPackages.GetAsync("gateway-ingest", "amd64"));
    }

    [Fact]
    public async Task Gatewayctl_Amd64_RunsFromUsrBin_AndReportsThePackagesVersion()
    {
        var deb = await DebianPackages.GetAsync("gatewayctl", "amd64");
        using var root = new TempDirectory("deb-ctl");
        var control = await Unpack(deb, root);
        Assert.Contains("Package: gatewayctl\n", control);
        Assert.Contains("Architecture: amd64\n", control);

        var (code, output) = await DebianPackages.RunAsync(root.File("usr/bin/gatewayctl"), ["--version"]);

        Assert.True(code == 0, output);
        Assert.StartsWith(Field(control, "Version") + "+", output.Trim());
    }

    [Fact]
    public async Task Ingest_Amd64_StartedAsItsUnitSays_StoresReadingsAndServesTheDashboard()
    {
        var deb = await DebianPackages.GetAsync("gateway-ingest", "amd64");
        using var root = new TempDirectory("deb-ingest");
        var control = await Unpack(deb, root);
        Assert.Contains("Package: gateway-ingest\n", control);
        Assert.Equal("/etc/gateway-ingest/central.json", (await File.ReadAllTextAsync(root.File("DEBIAN/conffiles"))).Trim());
        Assert.True(File.Exists(root.File("etc/gateway-ingest/central.json")));
        var unit = await File.ReadAllLinesAsync(root.File("lib/systemd/system/gateway-ingest.service"));
        var exec = unit.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ');
        Assert.Equal(["/usr/bin/gateway-ingest", "--config", "/etc/gateway-ingest/central.json"], exec);

        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync("fleet");
        await using var broker = await MosquittoServer.StartAsync();
        var http = FreePort.Next();
        // The site's configuration in place of the packaged example: the local broker and store, a loopback dashboard.
        var config = root.File("central.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            broker = new { port = broker.Port, clientId = "ingest-deb" },
            store = new { url = influx.Url.ToString(), database = "fleet", batchMaxDelayMs = 100 },
            stateDirectory = root.File("state"),
            dashboard = new
            {
                enabled = true, listen = $"http://127.0.0.1:{http}", plainHttp = true,
                accounts = new[] { new { user = "ops", role = "operator", passwordHash = PasswordHash.Create("a long test password", PasswordHash.MinIterations) } },
            },
        }));

        await using var ingest = ServerProcess.Start(root.Path + exec[0], [exec[1], config], environment: DotnetRoot());
        using var client = new HttpClient();
        var healthz = new Uri($"http://127.0.0.1:{http}/healthz");
        await Fleet.WaitUntilAsync(async () => await Get(client, healthz) == "ok\n", TimeSpan.FromSeconds(60), () => ingest.Output);
        Assert.Contains("<form", await Get(client, new Uri($"http://127.0.0.1:{http}/")) ?? "");

        await using (var publisher = await Fleet.ConnectAsync(broker.Port, "gw-deb"))
            await Fleet.PublishCountersAsync(publisher, "gw-deb", messages: 2, linesPerMessage: 5, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000);
        var rows = await influx.WaitForAsync("fleet", "SELECT seq FROM counter WHERE gateway = 'gw-deb'", r => r.Count >= 10, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), rows.Select(r => r["seq"].GetInt64()).Order());
        await ingest.StopAsync(TimeSpan.FromSeconds(30));
        Assert.True(ingest.ExitCode == 0, $"the packaged ingest did not stop cleanly on SIGTERM (exit {ingest.ExitCode}):\n{ingest.Output}");
    }

    /// <summary>dpkg-deb -x and -e into <paramref name="root"/>; returns the control file.</summary>
    private static async Task<string> Unpack(string deb, TempDirectory root)
    {
        foreach (var args in new[] { new[] { "-x", deb, root.Path }, ["-e", deb, root.File("DEBIAN")] })
        {
            var (code, output) = await DebianPackages.RunAsync("dpkg-deb", args);
            Assert.True(code == 0, output);
        }
        return await File.ReadAllTextAsync(root.File("DEBIAN/control"));
    }

    private static string Field(string control, string name) =>
        control.Split('\n').Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];

    /// <summary>
    /// Where the running .NET is, for a framework-dependent package (build.sh --from-build) to find it as the packaged
    /// runtime would be found on a server; a native AOT or self-contained program ignores it.
    /// </summary>
    private static Dictionary<string, string> DotnetRoot() =>
        new() { ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "../../..")) };

    private static async Task<string?> Get(HttpClient client, Uri url)
    {
        try
        {
            return await client.GetStringAsync(url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
