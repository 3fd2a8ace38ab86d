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

    /// <summary>
    /// Exit code when the state directory or the journal cannot be opened (sysexits.h EX_CANTCREAT): a read-only or
    /// missing SD card, wrong ownership, or another agent holding the journal. systemd restarts the agent (the card may
    /// come back or the other agent stop), and each attempt leaves one line saying what to check.
    /// </summary>
    public const int ExitCantCreate = 73;

    /// <summary>Exit code when the journal failed while running (sysexits.h EX_IOERR): read-only remount, I/O error.</summary>
    public const int ExitIoError = 74;

    /// <summary>Exit code when a pipeline loop died for another reason (sysexits.h EX_SOFTWARE): a bug; systemd restarts the agent.</summary>
    public const int ExitSoftware = 70;

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
        try
        {
            Directory.CreateDirectory(options.StateDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync(StateProblem(options.StateDirectory, ex)).ConfigureAwait(false);
            return ExitCantCreate;
        }

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
        AgentWorker worker;
        try
        {
            // The worker opens the journal as it is built: resolve it here so that a journal that cannot be opened
            // ends the process with one line and exit 73, not with a host start-up stack trace.
            worker = host.Services.GetRequiredService<AgentWorker>();
        }
        catch (Exception ex) when (StorageFailure(ex) is { } cause)
        {
            await Console.Error.WriteLineAsync(StateProblem(options.StateDirectory, cause)).ConfigureAwait(false);
            return ExitCantCreate;
        }
        started?.Invoke(worker);
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return worker.ExitCode;
    }

    /// <summary>The I/O failure behind <paramref name="ex"/> (a constructor's exception may come wrapped), or null.</summary>
    private static Exception? StorageFailure(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is IOException or UnauthorizedAccessException) return e;
        return null;
    }

    private static string StateProblem(string stateDirectory, Exception cause) =>
        $"gateway-agent: cannot open the state directory or journal under {Path.GetFullPath(stateDirectory)}: {cause.Message} " +
        "Check that the disk is mounted read-write, has free space, and that the directory belongs to the agent's user " +
        "(systemd's StateDirectory= does this), or pass another --state-dir.";
}
