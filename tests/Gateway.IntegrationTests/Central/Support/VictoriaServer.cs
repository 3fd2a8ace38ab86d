using System.Text.Json;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Central.Support;

/// <summary>
/// A real VictoriaMetrics (Debian's victoria-metrics) on 127.0.0.1 on a free port, its data in a temporary directory;
/// with a user, behind its own HTTP Basic auth (<c>-httpAuth.username/-httpAuth.password</c>), which this client then sends.
/// </summary>
public sealed class VictoriaServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("victoria");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ServerProcess? _process;

    public int Port { get; } = FreePort.Next();
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public static async Task<VictoriaServer> StartAsync(string? username = null, string? password = null)
    {
        var server = new VictoriaServer();
        List<string> args = ["-httpListenAddr", $"127.0.0.1:{server.Port}", "-storageDataPath", server._dir.File("data"), "-loggerLevel", "ERROR"];
        if (username is not null)
        {
            // A test server's throwaway password; production passes secrets to victoria-metrics by its own means (vmauth, an env file).
            args.AddRange(["-httpAuth.username", username, "-httpAuth.password", password ?? ""]);
            server._http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
        }
        server._process = ServerProcess.Start("victoria-metrics", args);
        await FreePort.WaitForListenerAsync(server.Port, TimeSpan.FromSeconds(30), () => $"victoria-metrics output:\n{server._process.Output}");
        return server;
    }

    /// <summary>Every sample of the series matching <paramref name="selector"/> (via /api/v1/export, JSON lines).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double[] Values)>> ExportAsync(string selector)
    {
        var text = await _http.GetStringAsync(new Uri(Url, $"api/v1/export?match[]={Uri.EscapeDataString(selector)}"));
        var series = new List<(IReadOnlyDictionary<string, string>, double[])>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var labels = doc.RootElement.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var values = doc.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            series.Add((labels, values));
        }
        return series;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }
}
