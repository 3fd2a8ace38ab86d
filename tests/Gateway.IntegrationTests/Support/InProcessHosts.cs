namespace Gateway.IntegrationTests.Support;

/// <summary>
/// Hosts a test runs in-process through the same host code as the executables (AgentHost, IngestHost): each with its
/// own stop token, so one can be stopped as SIGTERM would; disposing stops them all and waits for each.
/// </summary>
public sealed class InProcessHosts : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task<int> Run)> _runs = [];

    public int Count => _runs.Count;

    /// <summary>
    /// Runs <paramref name="host"/> (a host's RunAsync with its stop token and its "started" callback) and returns what
    /// it reported as started; fails saying so when <paramref name="name"/> exits before starting.
    /// </summary>
    public async Task<T> StartAsync<T>(string name, Func<CancellationToken, Action<T>, Task<int>> host)
    {
        var ready = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => host(stop.Token, started => ready.TrySetResult(started)));
        _runs.Add((stop, run));
        var first = await Task.WhenAny(ready.Task, run).WaitAsync(TimeSpan.FromSeconds(30));
        if (first == run) throw new InvalidOperationException($"{name} exited with code {await run} before starting.");
        return await ready.Task;
    }

    /// <summary>Stops host <paramref name="index"/> (in start order) as SIGTERM would (graceful).</summary>
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
    }
}
