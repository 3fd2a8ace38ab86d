using System.Text.Json;
using Gateway.Ingest;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Central.Support;

/// <summary>
/// Runs central service instances in-process through the same host code as the executable (IngestHost), each from a
/// configuration file the test writes, and stops them at dispose.
/// </summary>
public sealed class CentralRunner : IAsyncDisposable
{
    private readonly InProcessHosts _hosts = new();
    private readonly TempDirectory _dir = new("central");

    public string Directory => _dir.Path;

    /// <summary>Writes <paramref name="config"/> (an object serialised as JSON) and starts an instance with it.</summary>
    public async Task<CentralServices> StartAsync(object config, params string[] extraArgs)
    {
        var path = _dir.File($"central-{_hosts.Count}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));
        var services = await _hosts.StartAsync<CentralServices>("The central service", (stop, started) => IngestHost.RunCentralAsync(["--config", path, .. extraArgs], stop, started));
        if (services.Ingest is { } ingest) await ingest.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        if (services.Monitor is { } monitor) await monitor.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        if (services.HttpUrl is { } url) await FreePort.WaitForListenerAsync(url.Port, TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>Stops instance <paramref name="index"/> as SIGTERM would (graceful).</summary>
    public Task StopAsync(int index) => _hosts.StopAsync(index);

    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync();
        _dir.Dispose();
    }
}
