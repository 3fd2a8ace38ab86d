using Gateway.TestKit.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Ingest.Tests.Hosting;

/// <summary>An unexpected stop must exit non-zero, or systemd (and an operator) takes it for a clean stop (issue 12 item 1).</summary>
public sealed class IngestHostExitTests
{
    [Fact]
    public async Task RunUntilStopped_ABackgroundServiceThatThrows_ExitsNonZero()
    {
        using var host = Build(new Throwing());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(IngestHost.ExitFailed, await IngestHost.RunUntilStoppedAsync(host, timeout.Token));
        Assert.False(timeout.IsCancellationRequested, "the host should have stopped on the fault, not on the test's timeout");
    }

    [Fact]
    public async Task RunUntilStopped_ARequestedStop_ExitsZero()
    {
        var idle = new Idle();
        using var host = Build(idle);
        using var stop = new CancellationTokenSource();
        var run = IngestHost.RunUntilStoppedAsync(host, stop.Token);
        await idle.Running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("deploy/systemd/gateway-ingest.service")] // the one unit (deploy/central/setup.sh installs it)
    public void IngestUnits_RestartOnEveryStopButAConfigurationError(string unit)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Folder(Path.GetDirectoryName(unit)!), Path.GetFileName(unit)));
        Assert.Contains("Restart=always", lines);
        Assert.Contains(lines, l => l.StartsWith("RestartPreventExitStatus=", StringComparison.Ordinal) && l.Split('=', ' ').Contains("78") && !l.Split('=', ' ').Contains("70"));
    }

    private static IHost Build(IHostedService service)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddSingleton(service);
        return builder.Build();
    }

    private sealed class Throwing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new ArgumentOutOfRangeException(nameof(stoppingToken), "a timestamp beyond DateTimeOffset");
        }
    }

    private sealed class Idle : BackgroundService
    {
        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Running.TrySetResult();
            return Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }
}
