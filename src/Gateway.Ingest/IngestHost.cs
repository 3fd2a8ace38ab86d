using System.Net;
using Gateway.Ingest.Alerts;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.Ingest.Dashboard.Tiles;
using Gateway.Ingest.History;
using Gateway.Ingest.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest;

/// <summary>What a running central service consists of; handed to in-process tests once built.</summary>
public sealed record CentralServices(CentralConfig Config, IngestWorker? Ingest, MonitorWorker? Monitor, Uri? HttpUrl);

/// <summary>Builds and runs the central service; <c>Program</c> and in-process tests share it.</summary>
public static class IngestHost
{
    public const int ExitUsage = 64;

    /// <summary>sysexits.h EX_CONFIG: the configuration is wrong; restarting will not help (systemd: RestartPreventExitStatus).</summary>
    public const int ExitConfig = 78;

    /// <summary>
    /// sysexits.h EX_SOFTWARE: a part of the service (ingest, monitor, web host) stopped on its own. Never 0, so that
    /// systemd restarts the service whatever its <c>Restart=</c> (a fault once exited 0 and stayed down, issue 12 item 1).
    /// </summary>
    public const int ExitFailed = 70;

    /// <summary>Runs until <paramref name="cancellationToken"/> or SIGTERM; <paramref name="started"/> gets the ingest worker.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default, Action<IngestWorker>? started = null) =>
        RunCentralAsync(args, cancellationToken, s => { if (s.Ingest is not null) started?.Invoke(s.Ingest); });

    public static async Task<int> RunCentralAsync(string[] args, CancellationToken cancellationToken, Action<CentralServices>? started)
    {
        var options = IngestOptions.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error is { Length: > 0 } ? $"gateway-ingest: {error}\n{IngestOptions.Usage}" : IngestOptions.Usage).ConfigureAwait(false);
            return error is { Length: > 0 } ? ExitUsage : 0;
        }
        CentralConfig config;
        MbTilesArchive? tiles;
        AccountStore accounts;
        try
        {
            config = options.Resolve();
            tiles = config.Dashboard.Enabled && config.Dashboard.TileArchive is { } archive ? MbTilesArchive.Open(archive) : null;
            accounts = AccountStore.Open(config.Dashboard.Accounts, config.Dashboard.Enabled ? Path.Combine(config.StateDirectory, AccountStore.FileName) : null);
        }
        catch (Exception ex) when (ex is ConfigException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"gateway-ingest: {ex.Message}").ConfigureAwait(false);
            return ExitConfig;
        }
        if (await CredentialCheck.RefusalAsync(config, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            await Console.Error.WriteLineAsync($"gateway-ingest: {refusal}").ConfigureAwait(false);
            return ExitConfig;
        }
        // HTTP runs for the dashboard, or for /metrics alone when an address was given on the command line.
        var serveHttp = config.Dashboard.Enabled || options.Http is not null;
        using var app = serveHttp ? BuildWeb(config, tiles, accounts) : BuildPlain(config);
        var services = new CentralServices(config,
            config.Ingest.Enabled ? app.Services.GetRequiredService<IngestWorker>() : null,
            config.MonitorEnabled ? app.Services.GetRequiredService<MonitorWorker>() : null,
            serveHttp ? config.Dashboard.Listen : null);
        started?.Invoke(services);
        return await RunUntilStoppedAsync(app, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="host"/> until it stops; 0 only for a requested stop (SIGTERM, <paramref name="cancellationToken"/>).
    /// The generic host stops when a background service throws, and returns normally: without this check such a fault
    /// looked like a clean stop.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(IHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Taken before the run: RunAsync disposes the host's services when it ends.
        var workers = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"gateway-ingest: stopped by a fault: {ex.Message}").ConfigureAwait(false);
            return ExitFailed;
        }
        var failed = workers.FirstOrDefault(s => s.ExecuteTask is { IsFaulted: true });
        if (failed is null) return 0;
        await Console.Error.WriteLineAsync($"gateway-ingest: {failed.GetType().Name} stopped by a fault ({failed.ExecuteTask!.Exception!.InnerException?.Message}); exiting {ExitFailed} so that the service is restarted").ConfigureAwait(false);
        return ExitFailed;
    }

    private static IHost BuildPlain(CentralConfig config)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        Configure(builder.Logging);
        AddCentral(builder.Services, config);
        return builder.Build();
    }

    private static WebApplication BuildWeb(CentralConfig config, MbTilesArchive? tiles, AccountStore accounts)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        Configure(builder.Logging);
        builder.WebHost.ConfigureKestrel(k =>
        {
            var listen = config.Dashboard.Listen;
            var address = listen.Host is "localhost" ? IPAddress.Loopback : IPAddress.TryParse(listen.Host, out var ip) ? ip : IPAddress.Any;
            k.Listen(address, listen.Port, l => HttpsHosting.Configure(l, config.Dashboard));
            // The dashboard takes small form posts and JSON; nothing legitimate is larger (DESIGN §6: bound all input).
            k.Limits.MaxRequestBodySize = 64 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.AddServerHeader = false;
        });
        AddCentral(builder.Services, config);
        if (tiles is not null) builder.Services.AddSingleton(tiles);
        builder.Services.AddSingleton(accounts);
        builder.Services.AddSingleton(sp => new SessionStore(accounts, config.Dashboard.SessionLifetime, sp.GetRequiredService<TimeProvider>()));
        var app = builder.Build();
        HttpsHosting.Use(app, config.Dashboard);
        DashboardEndpoints.Map(app);
        return app;
    }

    private static void AddCentral(IServiceCollection services, CentralConfig config)
    {
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FleetState>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<LiveHub>();
        if (config.History is { } history) services.AddSingleton(new HistoryClient(history));
        if (config.Ingest.Enabled)
        {
            services.AddSingleton<IngestWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<IngestWorker>());
        }
        if (config.MonitorEnabled)
        {
            services.AddSingleton(sp => new MonitorWorker(config, sp.GetRequiredService<FleetState>(), sp.GetRequiredService<AlertEngine>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetService<HistoryClient>()));
            services.AddHostedService(sp =>
            {
                var monitor = sp.GetRequiredService<MonitorWorker>();
                var hub = sp.GetRequiredService<LiveHub>();
                monitor.Fleet.Changed += hub.Publish;
                monitor.Alerts.Changed += _ => hub.Publish("alerts");
                return monitor;
            });
        }
    }

    private static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        // Kestrel's per-request information lines are noise for an operator; warnings and errors stay.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    }
}
