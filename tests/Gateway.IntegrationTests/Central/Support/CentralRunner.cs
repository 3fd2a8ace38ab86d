using System.Text.Json;
using Gateway.Ingest;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Central.Support;

/// <summary>
/// Runs central service instances in-process through the same host code as the executable (IngestHost), each from a
/// configuration file the test writes, and stops them at dispose.
/// </summary>
public sealed class CentralRunner : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task<int> Run)> _runs = [];
    private readonly TempDirectory _dir = new("central");

    public string Directory => _dir.Path;

    /// <summary>Writes <paramref name="config"/> (an object serialised as JSON) and starts an instance with it.</summary>
    public async Task<CentralServices> StartAsync(object config, params string[] extraArgs)
    {
        var path = _dir.File($"central-{_runs.Count}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));
        var ready = new TaskCompletionSource<CentralServices>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => IngestHost.RunCentralAsync(["--config", path, .. extraArgs], stop.Token, s => ready.TrySetResult(s)));
        _runs.Add((stop, run));
        var first = await Task.WhenAny(ready.Task, run).WaitAsync(TimeSpan.FromSeconds(30));
        if (first == run) throw new InvalidOperationException($"The central service exited with code {await run} before starting.");
        var services = await ready.Task;
        if (services.Ingest is { } ingest) await ingest.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        if (services.Monitor is { } monitor) await monitor.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        if (services.HttpUrl is { } url) await FreePort.WaitForListenerAsync(url.Port, TimeSpan.FromSeconds(30));
        return services;
    }

    /// <summary>Stops instance <paramref name="index"/> as SIGTERM would (graceful).</summary>
    public async Task StopAsync(int index)
    {
        var (stop, run) = _runs[index];
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, _) in _runs) await stop.CancelAsync();
        foreach (var (stop, run) in _runs)
        {
            try { await run.WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (OperationCanceledException) { }
            stop.Dispose();
        }
        _dir.Dispose();
    }
}
