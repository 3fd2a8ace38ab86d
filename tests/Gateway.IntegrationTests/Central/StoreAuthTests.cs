using Gateway.Ingest;
using Gateway.Ingest.History;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// The central service against a real InfluxDB 1.x with <c>auth-enabled</c> and the two users deploy/central/setup.sh
/// creates: the ingest writes with a write-only user, the dashboard's history reads with a read-only one, both passwords
/// from 0600 files. A wrong password stops the service at start naming the file; one that goes wrong while it runs is
/// counted and retried, and nothing is lost.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StoreAuthTests
{
    private const string Database = "fleet";

    [Fact]
    public async Task IngestWritesWithTheWriteUser_HistoryReadsWithTheReadUser()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await AuthenticatedInfluxAsync();
        await using var central = new CentralRunner();
        using var secrets = new TempDirectory("secrets");
        var s = await central.StartAsync(Config(broker, influx, secrets, central, "writer-password"));

        await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
        await Fleet.PublishCountersAsync(publisher, "gw-auth", messages: 10, linesPerMessage: 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000);
        var rows = await influx.WaitForAsync(Database, "SELECT seq FROM counter", r => r.Count >= 100, TimeSpan.FromSeconds(60));
        Assert.Equal(100, rows.Count);
        Assert.Equal(0, s.Ingest!.Statistics.StoreAuthFailures);

        // The dashboard's history client reads as the read-only user; that user cannot write, the writer cannot read.
        Assert.Equal("dashboard", s.Config.History!.Username);
        using var history = new HistoryClient(s.Config.History);
        var count = await history.QueryAsync("SELECT count(seq) FROM counter", CancellationToken.None);
        Assert.Equal(100, count.Single().Rows.Single()[1]);
        using var asWriter = new HistoryClient(s.Config.History with { Username = "ingest", Password = "writer-password" });
        var refused = await Assert.ThrowsAsync<HistoryException>(() => asWriter.QueryAsync("SELECT count(seq) FROM counter", CancellationToken.None));
        Assert.True(refused.CredentialsRefused, refused.Message);
    }

    [Fact]
    public async Task WrongPassword_StopsTheServiceAtStart_WithOneLineNamingTheFile()
    {
        await using var influx = await AuthenticatedInfluxAsync();
        using var dir = new TempDirectory("central");
        var passwordFile = dir.Secret("influx-password", "not-the-password\n");
        var config = dir.File("central.json");
        await File.WriteAllTextAsync(config, $$"""
            { "broker": { "port": {{FreePort.Next()}} },
              "store": { "url": "{{influx.Url}}", "database": "{{Database}}", "username": "ingest", "passwordFile": "{{passwordFile}}" },
              "stateDirectory": "{{dir.File("state")}}" }
            """);

        var (code, output) = await RunIngestAsync(config);

        Assert.Equal(IngestHost.ExitConfig, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(passwordFile, line, StringComparison.Ordinal);
        Assert.Contains("refused user 'ingest'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsFileReadableByOthers_StopsTheServiceAtStart_NamingTheFile()
    {
        using var dir = new TempDirectory("central");
        var passwordFile = dir.File("influx-password");
        await File.WriteAllTextAsync(passwordFile, "writer-password\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var config = dir.File("central.json");
        await File.WriteAllTextAsync(config, $$"""{ "store": { "username": "ingest", "passwordFile": "{{passwordFile}}" }, "stateDirectory": "{{dir.File("state")}}" }""");

        var (code, output) = await RunIngestAsync(config);

        Assert.Equal(IngestHost.ExitConfig, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"is readable by group or others (mode 0644); run 'chmod 600 {passwordFile}'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("writer-password", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("store", "passwordFile")]
    [InlineData("history", "passwordFile")]
    [InlineData("dashboard.tls", "keyFile")]
    public async Task MissingSecretFile_StopsTheServiceAtStart_WithOneLineNamingIt(string section, string key)
    {
        using var dir = new TempDirectory("central");
        var present = dir.Secret("present", "secret\n");
        var missing = dir.File("missing-secret");
        string File(string s, string k) => s == section && k == key ? missing : present;
        var config = dir.File("central.json");
        await System.IO.File.WriteAllTextAsync(config, $$"""
            { "store": { "username": "ingest", "passwordFile": "{{File("store", "passwordFile")}}" },
              "history": { "username": "dashboard", "passwordFile": "{{File("history", "passwordFile")}}" },
              "dashboard": { "enabled": true, "listen": "https://127.0.0.1:{{FreePort.Next()}}",
                "tls": { "certFile": "{{dir.File("dashboard.crt")}}", "keyFile": "{{File("dashboard.tls", "keyFile")}}" },
                "accounts": [ { "user": "ops", "passwordHash": "pbkdf2-sha256$600000$Bvlu0NqVHKw/gf3/nE0w1A==$FhEIJ4NeO2yyzMRfd2+UTv1hXjVQ2yCgPMPPlgmfhuc=" } ] },
              "stateDirectory": "{{dir.File("state")}}" }
            """);

        var (code, output) = await RunIngestAsync(config);

        Assert.Equal(IngestHost.ExitConfig, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"'{section}.{key}' cannot be used: {missing} does not exist", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChangedWhileRunning_IsCountedAndRetried_AndNothingIsLost()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await AuthenticatedInfluxAsync();
        await using var central = new CentralRunner();
        using var secrets = new TempDirectory("secrets");
        var s = await central.StartAsync(Config(broker, influx, secrets, central, "writer-password"));
        var ingest = s.Ingest!;

        await influx.ExecuteAsync("SET PASSWORD FOR \"ingest\" = 'rotated-elsewhere'");
        await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
        await Fleet.PublishCountersAsync(publisher, "gw-rot", messages: 5, linesPerMessage: 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000);
        await Fleet.WaitUntilAsync(() => Task.FromResult(ingest.Statistics.StoreAuthFailures > 0), TimeSpan.FromSeconds(30), () => ingest.Statistics.ToString());
        Assert.Equal(0, ingest.Statistics.Acknowledged);
        Assert.True(ingest.StoreFailing);

        await influx.ExecuteAsync("SET PASSWORD FOR \"ingest\" = 'writer-password'");
        var rows = await influx.WaitForAsync(Database, "SELECT seq FROM counter", r => r.Count >= 50, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), rows.Select(r => r["seq"].GetInt64()).Order());
    }

    /// <summary>
    /// VictoriaMetrics with its own Basic auth (the real server, not a captured request): the ingest writes with
    /// <c>store.username</c> + <c>passwordFile</c>; anonymous requests are refused; a wrong password stops the service at
    /// start with one line naming the file and never the secret.
    /// </summary>
    [Fact]
    public async Task VictoriaMetrics_WithBasicAuth_TheIngestWritesWithItsPasswordFile_AndAWrongOneStopsItAtStart()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var vm = await VictoriaServer.StartAsync("ingest", "vm-writer-password");
        using (var anonymous = new HttpClient())
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.PostAsync(new Uri(vm.Url, "write"), new StringContent("counter seq=1"))).StatusCode);
        await using var central = new CentralRunner();
        using var secrets = new TempDirectory("secrets");
        var s = await central.StartAsync(new
        {
            broker = new { port = broker.Port, clientId = "ingest-vm-auth", shareGroup = "none" },
            store = new { type = "victoriametrics", url = vm.Url.ToString(), database = Database, username = "ingest", passwordFile = secrets.Secret("vm", "vm-writer-password\n"), batchMaxDelayMs = 100 },
        });
        await using var publisher = await Fleet.ConnectAsync(broker.Port, "pub");
        await Fleet.PublishCountersAsync(publisher, "gw-vm", messages: 5, linesPerMessage: 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000);
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double[] Values)> series = [];
        await Fleet.WaitUntilAsync(async () => (series = await vm.ExportAsync("counter_seq")).Sum(x => x.Values.Length) >= 50, TimeSpan.FromSeconds(60), () => $"{series.Count} series");
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (double)i), Assert.Single(series).Values.Order());
        Assert.Equal(0, s.Ingest!.Statistics.StoreAuthFailures);

        using var dir = new TempDirectory("central");
        var wrong = dir.Secret("vm-password", "not-the-password\n");
        var config = dir.File("central.json");
        await File.WriteAllTextAsync(config, $$"""
            { "broker": { "port": {{FreePort.Next()}} },
              "store": { "type": "victoriametrics", "url": "{{vm.Url}}", "database": "{{Database}}", "username": "ingest", "passwordFile": "{{wrong}}" },
              "stateDirectory": "{{dir.File("state")}}" }
            """);
        var (code, output) = await RunIngestAsync(config);
        Assert.Equal(IngestHost.ExitConfig, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(wrong, line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", line, StringComparison.Ordinal);
    }

    private static async Task<InfluxServer> AuthenticatedInfluxAsync()
    {
        var influx = await InfluxServer.StartAsync(auth: true);
        await influx.CreateDatabaseAsync(Database);
        await influx.CreateUserAsync("ingest", "writer-password", "WRITE", Database);
        await influx.CreateUserAsync("dashboard", "reader-password", "READ", Database);
        return influx;
    }

    private static object Config(MosquittoServer broker, InfluxServer influx, TempDirectory secrets, CentralRunner central, string writerPassword) => new
    {
        broker = new { port = broker.Port, clientId = $"ingest-{Guid.NewGuid():N}"[..20], shareGroup = "none" },
        store = new { url = influx.Url.ToString(), database = Database, username = "ingest", passwordFile = secrets.Secret("writer", writerPassword), batchMaxDelayMs = 100 },
        history = new { username = "dashboard", passwordFile = secrets.Secret("reader", "reader-password\n") },
        alerts = new { enabled = true },
        stateDirectory = Path.Combine(central.Directory, "state"),
    };

    /// <summary>Runs gateway-ingest as its own process (its stderr is what an operator reads) until it exits.</summary>
    private static async Task<(int Code, string Output)> RunIngestAsync(string config)
    {
        await using var process = ServerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "gateway-ingest.dll"), "--config", config]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, process.Output);
    }
}
