using Gateway.Agent.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent;

/// <summary>
/// Builds and runs the agent's Generic Host. <c>Program</c> calls it with the process's arguments; tests call it
/// in-process with their own arguments and cancellation, so both run exactly the same composition.
/// </summary>
public static class AgentHost
{
    /// <summary>Exit code for a bad profile or command line (sysexits.h EX_CONFIG / EX_USAGE): systemd must not restart-loop on them.</summary>
    public const int ExitConfig = 78;
    public const int ExitUsage = 64;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default, Action<AgentWorker>? started = null)
    {
        var options = AgentOptions.Parse(args, out var usageError);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(usageError is { Length: > 0 } ? $"gateway-agent: {usageError}\n{AgentOptions.Usage}" : AgentOptions.Usage).ConfigureAwait(false);
            return usageError is { Length: > 0 } ? ExitUsage : 0;
        }

        GatewayProfile profile;
        try
        {
            profile = ProfileLoader.Load(options.ProfilePath);
        }
        catch (ProfileException ex)
        {
            await Console.Error.WriteLineAsync($"gateway-agent: {ex.Message}").ConfigureAwait(false);
            return ExitConfig;
        }
        if (options.BrokerOverride is not null && AgentOptions.TryParseHostPort(options.BrokerOverride, out var brokerHost, out var brokerPort))
            profile = profile with { Broker = profile.Broker with { Host = brokerHost, Port = brokerPort } };
        Directory.CreateDirectory(options.StateDirectory);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton(profile);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentWorker>());
        builder.Services.AddSingleton<Commands.IAgentControl, Commands.AgentControl>();
        builder.Services.AddHostedService<Commands.CommandService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        using var host = builder.Build();
        started?.Invoke(host.Services.GetRequiredService<AgentWorker>());
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
