using System.Net.Http.Json;
using System.Text.Json;
using Gateway.TestKit.Io;

namespace Gateway.TestKit.Servers;

/// <summary>
/// A real InfluxDB 1.x (Debian's influxd) on 127.0.0.1 on free ports. Debian's influxd needs its own config file that
/// points its meta, data and WAL directories into the test's directory (DESIGN §8), which this class writes.
/// With <c>auth: true</c> it runs with <c>auth-enabled</c> and an admin user that this class's own queries use; tests
/// add the service users (<see cref="CreateUserAsync"/>) the way deploy/central/setup.sh does.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("influxd");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ServerProcess? _process;

    private readonly bool _auth;

    private InfluxServer(bool auth)
    {
        _auth = auth;
        HttpPort = FreePort.Next();
        RpcPort = FreePort.Next();
    }

    public int HttpPort { get; }
    public int RpcPort { get; }
    public Uri Url => new($"http://127.0.0.1:{HttpPort}");
    public string Output => _process?.Output ?? "";

    /// <param name="auth">Run with auth-enabled.</param>
    /// <param name="createAdmin">With auth, create the admin now (false: a fresh server, as deploy/central/setup.sh finds one).</param>
    public static async Task<InfluxServer> StartAsync(bool auth = false, bool createAdmin = true)
    {
        var server = new InfluxServer(auth);
        await server.StartAgainAsync();
        if (auth && createAdmin)
        {
            // With auth-enabled and no users yet, InfluxDB 1.x accepts exactly one unauthenticated statement: creating an admin.
            await server.ExecuteAsync($"CREATE USER \"admin\" WITH PASSWORD '{AdminPassword}' WITH ALL PRIVILEGES");
            server.UseAdmin(AdminPassword);
        }
        return server;
    }

    /// <summary>From now on this class's own queries authenticate as the admin with <paramref name="password"/>.</summary>
    public void UseAdmin(string password) => _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"admin:{password}")));

    /// <summary>The admin's password when started with auth (a test server's, on loopback, gone with the test).</summary>
    public const string AdminPassword = "test-admin-password";

    /// <summary>Creates a user with <paramref name="privilege"/> (READ, WRITE or ALL) on <paramref name="database"/>.</summary>
    public async Task CreateUserAsync(string user, string password, string privilege, string database)
    {
        await ExecuteAsync($"CREATE USER \"{user}\" WITH PASSWORD '{password}'");
        await ExecuteAsync($"GRANT {privilege} ON \"{database}\" TO \"{user}\"");
    }

    /// <summary>Runs one InfluxQL statement that changes something (POST /query); fails on an error.</summary>
    public async Task ExecuteAsync(string influxQl)
    {
        using var content = new FormUrlEncodedContent([new("q", influxQl)]);
        using var response = await _http.PostAsync(new Uri(Url, "/query"), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"InfluxQL '{influxQl.Split(" WITH PASSWORD")[0]}' failed: {(int)response.StatusCode} {body}");
    }

    public async Task StartAgainAsync()
    {
        var config = _dir.File("influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{RpcPort}"
            [meta]
              dir = "{_dir.Path}/meta"
            [data]
              dir = "{_dir.Path}/data"
              wal-dir = "{_dir.Path}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              bind-address = "127.0.0.1:{HttpPort}"
              log-enabled = false
              auth-enabled = {(_auth ? "true" : "false")}
            """);
        _process = ServerProcess.Start("influxd", ["-config", config]);
        await FreePort.WaitForListenerAsync(HttpPort, TimeSpan.FromSeconds(30), () => $"influxd output:\n{_process.Output}");
    }

    public Task StopAsync() => _process?.StopAsync(TimeSpan.FromSeconds(10)) ?? Task.CompletedTask;

    public Task CreateDatabaseAsync(string name) => ExecuteAsync($"CREATE DATABASE \"{name}\"");

    /// <summary>Runs an InfluxQL query and returns the rows of the first series of the first result (empty if none).</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>> QueryAsync(string database, string influxQl)
    {
        var uri = new Uri(Url, $"/query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}");
        using var doc = await _http.GetFromJsonAsync<JsonDocument>(uri) ?? throw new InvalidOperationException("empty reply");
        var rows = new List<IReadOnlyDictionary<string, JsonElement>>();
        var result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException($"InfluxQL error: {error}");
        if (!result.TryGetProperty("series", out var series)) return rows;
        foreach (var s in series.EnumerateArray())
        {
            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
            var tags = s.TryGetProperty("tags", out var t) ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) : [];
            foreach (var v in s.GetProperty("values").EnumerateArray())
            {
                var row = new Dictionary<string, JsonElement>(tags);
                var i = 0;
                foreach (var cell in v.EnumerateArray()) row[columns[i++]] = cell.Clone();
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>Polls <paramref name="influxQl"/> until <paramref name="done"/> holds for its rows or the timeout passes.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>> WaitForAsync(string database, string influxQl,
        Func<IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>, bool> done, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rows = await QueryAsync(database, influxQl);
            if (done(rows)) return rows;
            if (started.Elapsed > timeout)
                throw new TimeoutException($"'{influxQl}' did not reach the expected result in {timeout.TotalSeconds:0}s; last rows: {rows.Count}.");
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }
}
