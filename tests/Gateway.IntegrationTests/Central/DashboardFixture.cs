using System.Globalization;
using System.Text;
using Gateway.Cli.Commands.Simulate;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;
using Microsoft.Playwright;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// One demo-like stack for every dashboard browser test (started once per test class, because a browser, a broker, a
/// store and a fleet take seconds): real mosquitto and InfluxDB, the central service with an offline tile archive the
/// fixture generates, simulated gateways with asset tags, a known history written straight into the store, three
/// accounts (one per role) and one headless chromium.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Password = "dashboard-pass-1";
    public const string ReplayTag = "b0000001";
    public const string BusyTag = "b0000002";

    /// <summary>Points of <see cref="ReplayTag"/> in the store, one a minute from <see cref="ReplayStart"/>.</summary>
    public const int ReplayPoints = 37;

    /// <summary>Points of every gateway metric of the first simulated gateway in the store, one a minute from <see cref="ReplayStart"/>.</summary>
    public const int GatewayChartPoints = 30;

    /// <summary>Points of <see cref="BusyTag"/> in the store, one a second: more than one request may return.</summary>
    public const int BusyPoints = 7_200;

    private readonly CancellationTokenSource _stopSim = new(TimeSpan.FromMinutes(10));
    private MosquittoServer? _broker;
    private InfluxServer? _influx;
    private CentralRunner? _central;
    private FleetSimulator? _simulator;
    private Task? _simulation;
    private IPlaywright? _playwright;

    public FleetSimulatorOptions Sim { get; } = new()
    {
        Gateways = 2, Rate = 2, TagsPerGateway = 3, Interval = TimeSpan.FromMilliseconds(500), SensorInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>Two days ago at 10:00 UTC: inside "custom", outside "last hour".</summary>
    public DateTimeOffset ReplayStart { get; } = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2).AddHours(10), TimeSpan.Zero);

    public Uri Url { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public FleetSimulator Simulator => _simulator!;
    public int TilesInArchive { get; private set; }

    public async Task InitializeAsync()
    {
        _broker = await MosquittoServer.StartAsync();
        _influx = await InfluxServer.StartAsync();
        await _influx.CreateDatabaseAsync("fleet");
        var sim = Sim with { BrokerPort = _broker.Port };
        var (lat, lon) = sim.GatewayPosition(0);
        double[][] fence = [[lat - 0.003, lon - 0.003], [lat - 0.003, lon + 0.003], [lat + 0.003, lon + 0.003], [lat + 0.003, lon - 0.003]];
        _central = new CentralRunner();
        var archive = Path.Combine(_central.Directory, "site.mbtiles");
        TilesInArchive = TileArchive.Write(archive, lat - 0.03, lon - 0.03, lat + 0.03, lon + 0.03, 10, 16, (0xd9, 0xf2, 0xd0));
        await WriteHistoryAsync(lat, lon);
        var http = FreePort.Next();
        object Account(string user, string role) => new { user, role, passwordHash = PasswordHash.Create(Password, PasswordHash.MinIterations) };
        await _central.StartAsync(new
        {
            broker = new { port = _broker.Port, clientId = "ingest-ui" },
            store = new { url = _influx.Url.ToString(), database = "fleet", batchMaxDelayMs = 200 },
            stateDirectory = Path.Combine(_central.Directory, "state"),
            dashboard = new
            {
                enabled = true, listen = $"http://127.0.0.1:{http}", plainHttp = true, tileArchive = archive,
                accounts = new[] { Account("ops", "operator"), Account("watch", "viewer"), Account("root", "admin") },
            },
            alerts = new { enabled = true, geofence = new { holdSeconds = 2, marginMeters = 25 } },
            sites = new[] { new { name = "Base North", gateways = new[] { sim.GatewayId(0) }, geofence = fence } },
            assets = new object[]
            {
                new { tag = FleetSimulatorOptions.TagId(0, 0), name = "Truck 1", site = "Base North", kind = "vehicle", owner = "Logistics" },
                new { tag = FleetSimulatorOptions.TagId(0, 1), name = "Generator 1", site = "Base North", kind = "generator" },
                new { tag = FleetSimulatorOptions.TagId(1, 0), name = "Water tank 2", kind = "container" },
                new { tag = ReplayTag, name = "Replay truck", kind = "vehicle" },
                new { tag = BusyTag, name = "Busy beacon", kind = "test" },
            },
        });
        Url = new Uri($"http://127.0.0.1:{http}/");
        _simulator = new FleetSimulator(sim);
        await _simulator.StartAsync(_stopSim.Token);
        _simulation = _simulator.RunAsync(_stopSim.Token);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A logged-in page of its own context (own cookies) at the given size; console errors are collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> LoginAsync(string user, int width = 1400, int height = 1000)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync(Url.ToString());
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#login-submit");
        try
        {
            await page.WaitForSelectorAsync("#live:not(.off)");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The page did not go live; at {page.Url} it says '{await page.InnerTextAsync("#history-summary")}', its errors: {string.Join(" | ", errors)}", ex);
        }
        return (page, errors);
    }

    /// <summary>A known history: <see cref="ReplayPoints"/> positions of one tag two days ago, and a busy tag.</summary>
    private async Task WriteHistoryAsync(double lat, double lon)
    {
        var lines = new StringBuilder();
        for (var i = 0; i < ReplayPoints; i++)
        {
            var t = ReplayStart.AddMinutes(i).ToUnixTimeMilliseconds();
            lines.Append(CultureInfo.InvariantCulture, $"tag,gateway={Sim.GatewayId(i % 2)},sensor=lora,tag={ReplayTag} lat={lat + (i * 0.0001)},lon={lon + (i * 0.0001)},battery_mv={3800 - i}i,rssi={-80 - (i % 5)},snr=8 {t}\n");
        }
        // Every gateway metric the charts show, for the first simulated gateway, over the replay's half hour.
        for (var i = 0; i < GatewayChartPoints; i++)
        {
            var t = ReplayStart.AddMinutes(i).ToUnixTimeMilliseconds();
            var g = Sim.GatewayId(0);
            lines.Append(CultureInfo.InvariantCulture, $"env,gateway={g},sensor=enclosure temperature={30 + (i * 0.1)},humidity={50 + (i % 3)} {t}\n");
            lines.Append(CultureInfo.InvariantCulture, $"power,gateway={g},sensor=supply bus_voltage={12.4 + (i * 0.01)},current=0.4 {t}\n");
            lines.Append(CultureInfo.InvariantCulture, $"gateway,gateway={g} queue_records={i * 10}i,offline_s={i % 7},clock_source=\"{(i < 10 ? "system" : "gps+pps")}\" {t}\n");
        }
        var busyStart = DateTimeOffset.UtcNow.AddHours(-3);
        for (var i = 0; i < BusyPoints; i++)
            lines.Append(CultureInfo.InvariantCulture, $"tag,gateway={Sim.GatewayId(1)},sensor=lora,tag={BusyTag} lat={lat},lon={lon},battery_mv=3700i,rssi=-90,snr=5 {busyStart.AddSeconds(i).ToUnixTimeMilliseconds()}\n");
        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri(_influx!.Url, "write?db=fleet&precision=ms"), new StringContent(lines.ToString()));
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _stopSim.CancelAsync();
        if (_simulation is not null) await _simulation;
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_simulator is not null) await _simulator.DisposeAsync();
        if (_central is not null) await _central.DisposeAsync();
        if (_influx is not null) await _influx.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        _stopSim.Dispose();
    }

    /// <summary>A path under the repository's artifacts/ folder (git-ignored), kept after the test as its evidence.</summary>
    public static string ArtifactPath(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "artifacts"));
        return Path.Combine(folder.FullName, name);
    }
}
