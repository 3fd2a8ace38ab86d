using System.Net;
using System.Text.Json;
using Gateway.Cli.Commands.Simulate;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.IntegrationTests.Central.Support;
using Gateway.Mqtt;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;
using Microsoft.Playwright;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, headless, driven by Playwright) against the demo stack: real
/// mosquitto and InfluxDB, the central service, and simulated gateways with asset tags. An operator logs in, sees the
/// assets and gateways, and watches a geofence alert appear live when a simulated tag leaves its site.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string User = "ops";
    private const string Password = "ops-password-1";

    [Fact]
    public async Task Operator_LogsIn_SeesTheFleet_AndWatchesAGeofenceAlertAppear()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync("fleet");
        var sim = new FleetSimulatorOptions
        {
            BrokerPort = broker.Port, Gateways = 2, Rate = 2, TagsPerGateway = 2,
            Interval = TimeSpan.FromMilliseconds(500), SensorInterval = TimeSpan.FromSeconds(1),
        };
        var (lat, lon) = sim.GatewayPosition(0);
        double[][] fence = [[lat - 0.003, lon - 0.003], [lat - 0.003, lon + 0.003], [lat + 0.003, lon + 0.003], [lat + 0.003, lon - 0.003]];
        var http = FreePort.Next();
        await using var central = new CentralRunner();
        await central.StartAsync(new
        {
            broker = new { port = broker.Port, clientId = "ingest-ui" },
            store = new { url = influx.Url.ToString(), database = "fleet", batchMaxDelayMs = 200 },
            stateDirectory = Path.Combine(central.Directory, "state"),
            dashboard = new { enabled = true, listen = $"http://127.0.0.1:{http}", plainHttp = true, accounts = new[] { new { user = User, passwordHash = PasswordHash.Create(Password, PasswordHash.MinIterations) } } },
            alerts = new { enabled = true, geofence = new { holdSeconds = 2 } },
            sites = new[] { new { name = "Base North", gateways = new[] { sim.GatewayId(0) }, geofence = fence } },
            assets = new[] { new { tag = FleetSimulatorOptions.TagId(0, 0), name = "Truck 1", site = "Base North" } },
        });
        var url = new Uri($"http://127.0.0.1:{http}/");
        using var stopSim = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var simulator = new FleetSimulator(sim);
        await simulator.StartAsync(stopSim.Token);
        var simulation = simulator.RunAsync(stopSim.Token);

        // The JSON API needs the login too.
        using (var anonymous = new HttpClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(url, "api/assets"))).StatusCode);
        await using var watcher = await Fleet.ConnectAsync(broker.Port, "alert-watcher");
        await watcher.SubscribeAsync("fleet/alerts", MqttQos.AtLeastOnce);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1100 } });
        page.SetDefaultTimeout(30_000);
        var pageErrors = new List<string>();
        page.PageError += (_, e) => pageErrors.Add(e);

        await page.GotoAsync(url.ToString());
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#user", User);
        await page.FillAsync("#password", "wrong-password");
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#login-error:not([hidden])");
        await page.FillAsync("#user", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#live:not(.off)");

        // The simulated fleet: two gateways online, four assets with positions, drawn on the map.
        await page.WaitForSelectorAsync($"#gateways-table tr[data-gateway='{sim.GatewayId(1)}']");
        await WaitAsync(async () => await page.Locator("#assets-table tbody tr").CountAsync() == 4 && await page.Locator("#map circle.asset").CountAsync() == 4);
        Assert.Contains("online", await page.InnerTextAsync($"#gateways-table tr[data-gateway='{sim.GatewayId(0)}']"), StringComparison.Ordinal);
        var truck = page.Locator($"#assets-table tr[data-tag='{FleetSimulatorOptions.TagId(0, 0)}']");
        Assert.Contains("Truck 1", await truck.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(sim.GatewayId(0), await truck.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#map polygon.fence").CountAsync());
        Assert.Equal(0, await page.Locator("#alerts-list li[data-rule='geofence']").CountAsync());

        // The tag drives out of its site: the alert appears on the open page (server-sent events, no reload).
        simulator.Escape(true);
        var alert = page.Locator("#alerts-list li.active[data-rule='geofence']");
        await alert.WaitForAsync();
        Assert.Contains("Truck 1", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("left site Base North", await alert.InnerTextAsync(), StringComparison.Ordinal);
        await page.WaitForSelectorAsync("#map circle.asset.alarm");
        await page.ScreenshotAsync(new() { Path = ArtifactPath("dashboard.png"), FullPage = true });

        // It went to fleet/alerts and into the store as well.
        using var read = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Other rules (a slow gateway on a loaded machine, say) may publish first: the geofence one must come.
        while (true)
        {
            var message = await watcher.Messages.ReadAsync(read.Token);
            using var doc = JsonDocument.Parse(message.Payload);
            if (doc.RootElement.GetProperty("alert").GetProperty("rule").GetString() != "geofence") continue;
            Assert.Equal("raised", doc.RootElement.GetProperty("state").GetString());
            break;
        }
        var stored = await influx.WaitForAsync("fleet", "SELECT * FROM alert WHERE rule = 'geofence'", r => r.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal("raised", stored[0]["state"].GetString());

        // An operator acknowledges it.
        await alert.Locator("button.ack").ClickAsync();
        await page.WaitForSelectorAsync("#alerts-list li.acked[data-rule='geofence']");
        Assert.Contains($"acknowledged by {User}", await page.InnerTextAsync("#alerts-list li[data-rule='geofence']"), StringComparison.Ordinal);
        Assert.Empty(pageErrors);

        await stopSim.CancelAsync();
        await simulation;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The dashboard did not show the expected fleet within 30 s.");
            await Task.Delay(200);
        }
    }

    /// <summary>A path under the repository's artifacts/ folder (git-ignored), kept after the test as its evidence.</summary>
    private static string ArtifactPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Gateway.sln"))) continue;
            var folder = Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts"));
            return Path.Combine(folder.FullName, name);
        }
        return Path.Combine(Path.GetTempPath(), name);
    }
}
