using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// deploy/central/setup.sh into a root prefix (no systemctl) against a fresh InfluxDB with auth-enabled and no user: it
/// creates the CA and the broker, ingest and dashboard certificates, the broker configuration and ACL, the InfluxDB
/// admin and the write-only and read-only users, the ingest's configuration (which the ingest accepts) and the units;
/// a second run changes nothing (every file's content, mode and mtime are the same).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CentralSetupTests
{
    [Fact]
    public async Task Setup_BuildsTheSecureSite_AndASecondRunChangesNothing()
    {
        await using var influx = await InfluxServer.StartAsync(auth: true, createAdmin: false);
        using var root = new TempDirectory("central-root");

        var (code, output) = await RunSetupAsync(root.Path, influx.Url);
        Assert.True(code == 0, output);
        string Etc(string path) => Path.Combine(root.Path, "etc", path);

        // Secrets are 0600; certificates are from the one CA; the ingest accepts the configuration it was given.
        foreach (var secret in new[] { "influxdb/admin-password", "gateway-ingest/influx-ingest-password", "gateway-ingest/influx-dashboard-password",
                     "gateway-ingest/tls/ingest.key", "gateway-ingest/tls/dashboard.key", "gateway-fleet/certs/broker-hq.key" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Etc(secret)));
        var config = CentralConfigLoader.Load(Etc("gateway-ingest/central.json"));
        Assert.Equal(new Uri("https://0.0.0.0:8443"), config.Dashboard.Listen);
        Assert.True(config.Dashboard.Tls!.Certificate.HasPrivateKey);
        Assert.Equal(("ingest", "dashboard"), (config.Store.Username, config.History!.Username));
        Assert.Contains("auth-enabled = true", await File.ReadAllTextAsync(Etc("influxdb/influxdb.conf")), StringComparison.Ordinal);
        Assert.Contains("ingest-hq", await File.ReadAllTextAsync(Etc("mosquitto/fleet/acl")), StringComparison.Ordinal);
        Assert.Contains("require_certificate true", await File.ReadAllTextAsync(Etc("mosquitto/fleet/mosquitto.conf")), StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/gateway-ingest/gateway-ingest --config /etc/gateway-ingest/central.json",
            await File.ReadAllTextAsync(Etc("systemd/system/gateway-ingest.service")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root.Path, "opt/gateway-ingest/gateway-ingest.dll")));

        // The store's users: the ingest's writes, cannot read; the dashboard's reads, cannot write.
        influx.UseAdmin((await File.ReadAllTextAsync(Etc("influxdb/admin-password"))).Trim());
        var writer = (await File.ReadAllTextAsync(Etc("gateway-ingest/influx-ingest-password"))).Trim();
        var reader = (await File.ReadAllTextAsync(Etc("gateway-ingest/influx-dashboard-password"))).Trim();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(http, influx.Url, "ingest", writer));
        Assert.Equal(HttpStatusCode.Forbidden, await WriteAsync(http, influx.Url, "dashboard", reader));
        Assert.Equal(HttpStatusCode.OK, await QueryAsync(http, influx.Url, "dashboard", reader));
        Assert.Equal(HttpStatusCode.Forbidden, await QueryAsync(http, influx.Url, "ingest", writer));
        Assert.Equal(HttpStatusCode.Unauthorized, await QueryAsync(http, influx.Url, "dashboard", "wrong"));
        // No secret on the terminal.
        Assert.DoesNotContain(writer, output, StringComparison.Ordinal);
        Assert.DoesNotContain(reader, output, StringComparison.Ordinal);

        var before = Snapshot(root.Path);
        var (again, secondOutput) = await RunSetupAsync(root.Path, influx.Url);
        Assert.True(again == 0, secondOutput);
        Assert.Contains("(0 change(s) this run)", secondOutput, StringComparison.Ordinal);
        var after = Snapshot(root.Path);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, state) in before) Assert.True(state == after[path], $"{path} changed on the second run: {state} -> {after[path]}");
    }

    private static async Task<HttpStatusCode> WriteAsync(HttpClient http, Uri influx, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(influx, "/write?db=fleet")) { Content = new StringContent("setup_check v=1\n") };
        request.Headers.Authorization = Basic(user, password);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> QueryAsync(HttpClient http, Uri influx, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(influx, "/query?db=fleet&q=" + Uri.EscapeDataString("SHOW MEASUREMENTS")));
        request.Headers.Authorization = Basic(user, password);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Every file under <paramref name="root"/>: content hash, mode and last write time.</summary>
    private static Dictionary<string, (string Sha256, UnixFileMode Mode, DateTime Written)> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f),
            f => (Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), File.GetUnixFileMode(f), File.GetLastWriteTimeUtc(f)),
            StringComparer.Ordinal);

    /// <summary>setup.sh --root ROOT for localhost and 127.0.0.1 with the binaries the build made; also used by SecureSiteFromTheDocsTests.</summary>
    internal static async Task<(int Code, string Output)> RunSetupAsync(string root, Uri influx)
    {
        var repo = RepositoryRoot.Path;
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repo };
        foreach (var a in new[] { "deploy/central/setup.sh", "--root", root, "--host", "localhost", "--ip", "127.0.0.1", "--influx-url", influx.ToString() })
            info.ArgumentList.Add(a);
        info.Environment["GATEWAYCTL"] = Path.Combine(repo, "src/Gateway.Cli/bin/Release/net10.0/gatewayctl");
        info.Environment["INGEST_DIST"] = Path.Combine(repo, "src/Gateway.Ingest/bin/Release/net10.0");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
