using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest;

/// <summary>Builds and runs the ingest's host; <c>Program</c> and in-process tests share it.</summary>
public static class IngestHost
{
    public const int ExitUsage = 64;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default, Action<IngestWorker>? started = null)
    {
        var options = IngestOptions.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error is { Length: > 0 } ? $"gateway-ingest: {error}\n{IngestOptions.Usage}" : IngestOptions.Usage).ConfigureAwait(false);
            return error is { Length: > 0 } ? ExitUsage : 0;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestWorker>());
        using var host = builder.Build();
        started?.Invoke(host.Services.GetRequiredService<IngestWorker>());
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
