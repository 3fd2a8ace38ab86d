using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Gateway.Cli.Commands.Simulate;
using Microsoft.Playwright;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, headless, driven by Playwright) against a demo-like stack
/// (<see cref="DashboardFixture"/>): the Leaflet map drawn from an offline tile archive, zoom and pan, roles, history
/// over a chosen range with replay and exports, a geofence alert raised once, and the phone layout. Screenshots at both
/// sizes go to artifacts/.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture stack) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Operator_SeesTheFleetOnTheMapFromTheOfflineArchive_ZoomsPansAndRetiresAGateway()
    {
        using (var anonymous = new HttpClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(stack.Url, "api/assets"))).StatusCode);
        var (page, errors) = await stack.LoginAsync("ops");
        await page.WaitForSelectorAsync($"#gateways-table tr[data-gateway='{stack.Sim.GatewayId(1)}']");
        await WaitAsync(async () => await page.Locator(".leaflet-marker-icon.asset-icon, .marker-cluster").CountAsync() > 0);
        Assert.Contains("Truck 1", await page.InnerTextAsync($"#assets-table tr[data-tag='{FleetSimulatorOptions.TagId(0, 0)}']"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#map path.fence").CountAsync());
        Assert.Equal(2, await page.Locator("#map .gw-icon").CountAsync());
        Assert.Equal(1, await page.Locator(".leaflet-control-scale").CountAsync());
        // An unknown tag (the simulator's second tag of gateway 2) is listed apart as unregistered.
        await page.WaitForSelectorAsync($"#unregistered-table tr[data-tag='{FleetSimulatorOptions.TagId(1, 1)}']");
        Assert.Equal("(offline map)", await page.InnerTextAsync("#map-note"));

        // Every tile drawn is the archive's (served by the central service), and they really loaded.
        await WaitAsync(async () => await page.Locator("img.leaflet-tile-loaded").CountAsync() >= 4);
        var sources = await page.EvalOnSelectorAllAsync<string[]>("img.leaflet-tile-loaded", "imgs => imgs.filter(i => i.naturalWidth === 256).map(i => i.src)");
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.Contains("/api/tiles/", s, StringComparison.Ordinal));

        // Zoom and pan.
        var zoom = await MapZoomAsync(page);
        await page.ClickAsync(".leaflet-control-zoom-in");
        await WaitAsync(async () => await MapZoomAsync(page) == zoom + 1);
        var before = await page.EvaluateAsync<double[]>("() => { const c = Dash.map.map.getCenter(); return [c.lat, c.lng]; }");
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        // A drag of 200 px left and 100 px down, from an empty spot (a marker or label under the pointer takes the
        // press instead of the map, so the next spot is tried).
        var moved = false;
        foreach (var (fx, fy) in new[] { (0.8f, 0.2f), (0.85f, 0.85f), (0.3f, 0.15f) })
        {
            var (x, y) = (box.X + (box.Width * fx), box.Y + (box.Height * fy));
            await page.Mouse.MoveAsync(x, y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(x - 200, y + 100, new() { Steps = 10 });
            await page.Mouse.UpAsync();
            await Task.Delay(500);
            var after = await page.EvaluateAsync<double[]>("() => { const c = Dash.map.map.getCenter(); return [c.lat, c.lng]; }");
            if (after[1] > before[1] && after[0] > before[0]) { moved = true; break; }
        }
        Assert.True(moved, "dragging the map left and down moves the view east and north");
        await page.ClickAsync(".leaflet-control-zoom-out");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ArtifactPath("dashboard-laptop.png"), FullPage = true });

        // Retiring a gateway: gone from the live list, listed as retired, its history still served.
        var retiree = stack.Sim.GatewayId(1);
        page.Dialog += (_, d) => d.AcceptAsync();
        await page.ClickAsync($"#gateways-table tr[data-gateway='{retiree}'] button.retire");
        await page.ClickAsync("#retired-panel summary");
        await page.WaitForSelectorAsync($"#retired-list li[data-gateway='{retiree}']");
        await WaitAsync(async () => await page.Locator($"#gateways-table tr[data-gateway='{retiree}']").CountAsync() == 0);
        Assert.Equal(200, await page.EvaluateAsync<int>($"() => fetch('/api/history/gateway/{retiree}?hours=1').then(r => r.status)"));
        await page.ClickAsync($"#retired-list li[data-gateway='{retiree}'] button.restore");
        await page.WaitForSelectorAsync($"#retired-list li[data-gateway='{retiree}']", new() { State = WaitForSelectorState.Detached });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Viewer_ReadsButCannotAcknowledgeEditOrRetire_AndAdminSeesTheUsers()
    {
        var (viewer, errors) = await stack.LoginAsync("watch");
        await viewer.WaitForSelectorAsync("#assets-table tbody tr");
        Assert.Equal("viewer", await viewer.InnerTextAsync("#role"));
        Assert.Equal(0, await viewer.Locator("button.ack, button.edit-asset, button.retire").CountAsync());
        Assert.True(await viewer.IsHiddenAsync("#users-panel"));
        Assert.Empty(errors);
        // The server refuses them too (the browser logs each refusal; that is expected here).
        var refused = await viewer.EvaluateAsync<int[]>(@"async () => {
            const post = (p, b) => fetch(p, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gateway-Dashboard': '1' }, body: JSON.stringify(b) }).then(r => r.status);
            return [await post('/api/alerts/ack', { id: 'x' }), await post('/api/registry', { tag: 'b0000001', name: 'x' }),
                    await post('/api/gateways/retire', { id: 'sim-0001' }), await fetch('/api/users').then(r => r.status)];
        }");
        Assert.Equal([403, 403, 403, 403], refused);

        var (admin, adminErrors) = await stack.LoginAsync("root");
        await admin.WaitForSelectorAsync("#users-table tbody tr");
        var users = await admin.InnerTextAsync("#users-table");
        Assert.Contains("watch", users, StringComparison.Ordinal);
        Assert.Contains("viewer", users, StringComparison.Ordinal);
        Assert.True(await admin.Locator("button.edit-asset").CountAsync() > 0, "an admin may do what an operator may");
        Assert.Empty(adminErrors);
    }

    [Fact]
    public async Task Admin_AddsAUser_ChangesItsRole_ResetsItsPassword_AndRemovesIt_OnThePage()
    {
        var (page, errors) = await stack.LoginAsync("root");
        await page.WaitForSelectorAsync("#users-table tr[data-user='watch']");
        const string user = "newbie";
        await page.FillAsync("#user-name", user);
        await page.SelectOptionAsync("#user-role", "viewer");
        await page.FillAsync("#user-password", "first-pass-1");
        await page.ClickAsync("#user-save");
        await page.WaitForSelectorAsync($"#users-table tr[data-user='{user}']");
        Assert.Equal("viewer", await page.InnerTextAsync($"#users-table tr[data-user='{user}'] td.account-role"));
        using var newbie = await HttpLoginAsync(user, "first-pass-1");
        Assert.NotNull(newbie);
        Assert.Equal("viewer", await RoleAsync(newbie));

        // A role change applies to the sessions already open.
        await page.ClickAsync($"#users-table tr[data-user='{user}'] button.edit-user");
        await page.SelectOptionAsync("#user-role", "operator");
        await page.ClickAsync("#user-save");
        await WaitAsync(async () => await page.InnerTextAsync($"#users-table tr[data-user='{user}'] td.account-role") == "operator");
        Assert.Equal("operator", await RoleAsync(newbie));

        // A password reset logs the account out; only the new password works.
        await page.ClickAsync($"#users-table tr[data-user='{user}'] button.edit-user");
        await page.FillAsync("#user-password", "second-pass-2");
        await page.ClickAsync("#user-save");
        await WaitAsync(async () => await page.InputValueAsync("#user-name") == "");
        Assert.Equal(HttpStatusCode.Unauthorized, (await newbie.GetAsync(new Uri(stack.Url, "api/me"))).StatusCode);
        Assert.Null(await HttpLoginAsync(user, "first-pass-1"));
        using (var again = await HttpLoginAsync(user, "second-pass-2")) Assert.NotNull(again);

        // Removed: gone from the list, and it cannot log in.
        page.Dialog += (_, d) => d.AcceptAsync();
        await page.ClickAsync($"#users-table tr[data-user='{user}'] button.remove-user");
        await page.WaitForSelectorAsync($"#users-table tr[data-user='{user}']", new() { State = WaitForSelectorState.Detached });
        Assert.Null(await HttpLoginAsync(user, "second-pass-2"));
        Assert.Empty(errors);

        // The server's guards: the CSRF header, the admin role, no removing oneself.
        using var admin = (await HttpLoginAsync("root", DashboardFixture.Password))!;
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync(new Uri(stack.Url, "api/users"), JsonContent(new { user = "x1", role = "admin", password = "long-enough-1" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(admin, "api/users/remove", new { user = "root" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(admin, "api/users", new { user = "x1", role = "superuser", password = "long-enough-1" })).StatusCode);
        using var ops = (await HttpLoginAsync("ops", DashboardFixture.Password))!;
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(ops, "api/users", new { user = "x1", role = "admin", password = "long-enough-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(ops, "api/users/remove", new { user = "watch" })).StatusCode);
    }

    [Fact]
    public async Task LiveStream_StartsFromTheVersionTheListsWereTakenAt_SoAChangeInBetweenIsSent()
    {
        using var client = (await HttpLoginAsync("ops", DashboardFixture.Password))!;
        using var assets = await client.GetAsync(new Uri(stack.Url, "api/assets"));
        var version = long.Parse(assets.Headers.GetValues("X-Fleet-Version").Single(), CultureInfo.InvariantCulture);
        // A change after the lists were taken and before the stream opens, to an asset that never reports by itself.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "api/registry", new { tag = DashboardFixture.ReplayTag, name = "Replay truck", kind = "vehicle", owner = "Stream test" })).StatusCode);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = new StreamReader(await client.GetStreamAsync(new Uri(stack.Url, $"api/stream?since={version}"), timeout.Token));
        var sent = false;
        string? last = null;
        while (!sent && await stream.ReadLineAsync(timeout.Token) is { } line)
        {
            if (last == "event: assets" && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var batch = JsonDocument.Parse(line[6..]);
                sent = batch.RootElement.EnumerateArray().Any(a => a.GetProperty("tag").GetString() == DashboardFixture.ReplayTag && a.GetProperty("owner").GetString() == "Stream test");
            }
            last = line;
        }
        Assert.True(sent, "the stream sent the change made between the lists and the stream");
    }

    /// <summary>A client logged in through the login form, or null when the login was refused.</summary>
    private async Task<HttpClient?> HttpLoginAsync(string user, string password)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = stack.Url };
        var response = await client.PostAsync(new Uri(stack.Url, "login"), new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["password"] = password }));
        if (response.Headers.Location?.OriginalString == "/") return client;
        client.Dispose();
        return null;
    }

    private async Task<string?> RoleAsync(HttpClient client)
    {
        using var me = JsonDocument.Parse(await client.GetStringAsync(new Uri(stack.Url, "api/me")));
        return me.RootElement.GetProperty("role").GetString();
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.Url, path)) { Content = JsonContent(body) };
        request.Headers.Add("X-Gateway-Dashboard", "1");
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Operator_EditsAnAssetInTheRegistry_AndTheNameShowsEverywhere()
    {
        var (page, errors) = await stack.LoginAsync("ops");
        var tag = FleetSimulatorOptions.TagId(1, 2);
        await page.ClickAsync($"#unregistered-table tr[data-tag='{tag}'] button.edit-asset");
        await page.FillAsync("#asset-name", "Fuel bowser 2");
        await page.FillAsync("#asset-kind", "vehicle");
        await page.FillAsync("#asset-owner", "Transport");
        await page.ClickAsync("#asset-save");
        await page.WaitForSelectorAsync($"#assets-table tr[data-tag='{tag}']");
        Assert.Contains("Fuel bowser 2", await page.InnerTextAsync($"#assets-table tr[data-tag='{tag}']"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"#unregistered-table tr[data-tag='{tag}']").CountAsync());
        var registry = await page.EvaluateAsync<JsonElement>("() => fetch('/api/registry').then(r => r.json())");
        Assert.Contains(registry.EnumerateArray(), e => e.GetProperty("tag").GetString() == tag && e.GetProperty("owner").GetString() == "Transport");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task History_CustomRange_ShowsEveryPoint_Replays_AndExportsParse()
    {
        var (page, errors) = await stack.LoginAsync("ops");
        await page.ClickAsync($"#assets-table tr[data-tag='{DashboardFixture.ReplayTag}']");
        await page.WaitForSelectorAsync("#history-summary[data-points='0']");
        await ShowReplayHourAsync(page);
        await page.WaitForSelectorAsync($"#history-summary[data-points='{DashboardFixture.ReplayPoints}']");
        Assert.Equal(DashboardFixture.ReplayPoints, await page.Locator("#history-table tbody tr").CountAsync());
        Assert.Equal(1, await page.Locator("#map path.history-track").CountAsync());
        Assert.True(await page.Locator(".leaflet-tooltip.time-label").CountAsync() >= 2, "times along the track");
        Assert.Equal(2, await page.Locator("#heard-by li:not(.muted)").CountAsync());
        Assert.Equal(2, await page.Locator("#charts .uplot").CountAsync());
        await page.ClickAsync("#replay-play");
        await WaitAsync(async () => await page.InputValueAsync("#replay-slider") == (DashboardFixture.ReplayPoints - 1).ToString(CultureInfo.InvariantCulture));

        var csv = await DownloadAsync(page, "#export-csv");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time_utc,lat,lon,battery_mv,rssi_dbm,snr_db,gateway", rows[0]);
        Assert.Equal(DashboardFixture.ReplayPoints, rows.Length - 1);
        Assert.Equal(stack.ReplayStart, DateTimeOffset.Parse(rows[1].Split(',')[0], CultureInfo.InvariantCulture));
        using var geo = JsonDocument.Parse(await DownloadAsync(page, "#export-geojson"));
        var features = geo.RootElement.GetProperty("features");
        Assert.Equal("LineString", features[0].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(DashboardFixture.ReplayPoints, features[0].GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        Assert.Equal(DashboardFixture.ReplayPoints, features.GetArrayLength() - 1);
        var gpx = XDocument.Parse(await DownloadAsync(page, "#export-gpx"));
        XNamespace ns = "http://www.topografix.com/GPX/1/1";
        Assert.Equal(DashboardFixture.ReplayPoints, gpx.Descendants(ns + "trkpt").Count());

        // A busy tag's 3 hours (7,200 frames) come downsampled in the store, within the per-request bound.
        var busy = await page.EvaluateAsync<JsonElement>($"() => fetch('/api/history/asset/{DashboardFixture.BusyTag}?hours=4').then(r => r.json())");
        Assert.True(busy.GetProperty("bucketSeconds").GetInt32() >= 2);
        Assert.InRange(busy.GetProperty("points").GetArrayLength(), 1, 5_000);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ArtifactPath("dashboard-history.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task GatewayHistory_ChartsEveryGatewayMetric_WithTheStoredPoints()
    {
        var (page, errors) = await stack.LoginAsync("watch");
        var gateway = stack.Sim.GatewayId(0);
        await page.ClickAsync($"#gateways-table tr[data-gateway='{gateway}']");
        await page.WaitForSelectorAsync("#history-summary[data-points]");
        await ShowReplayHourAsync(page);
        // Enclosure climate, power, backlog, link offline time, clock source: each a drawn chart holding every stored point.
        string[] metrics = ["enclosure_temperature", "enclosure_humidity", "bus_voltage", "current", "backlog", "offline_s", "clock_source"];
        await page.WaitForSelectorAsync($"#charts .chart[data-metric='clock_source'] .uplot");
        foreach (var metric in metrics)
        {
            var chart = page.Locator($"#charts .chart[data-metric='{metric}']");
            Assert.Equal(1, await chart.Locator(".uplot canvas").CountAsync());
            Assert.Equal(DashboardFixture.GatewayChartPoints.ToString(CultureInfo.InvariantCulture), await chart.GetAttributeAsync("data-points"));
        }
        Assert.Equal(metrics.Length, await page.Locator("#charts .chart").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task GeofenceCrossing_RaisesOneAlert_LinkedToHistory_AndClearedAlertsCannotBeAcknowledged()
    {
        var (page, errors) = await stack.LoginAsync("ops");
        var tag = FleetSimulatorOptions.TagId(0, 0);
        await page.WaitForSelectorAsync($"#assets-table tr[data-tag='{tag}']");
        Assert.Equal(0, await page.Locator("#alerts-list li[data-rule='geofence']").CountAsync());
        stack.Simulator.Escape(true);
        var alert = page.Locator("#alerts-list li.active[data-rule='geofence']");
        await alert.WaitForAsync();
        Assert.Contains("left site Base North", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.NotNull(await alert.Locator("time").First.GetAttributeAsync("title"));
        await alert.Locator("a.history-link").ClickAsync();
        await page.WaitForSelectorAsync("#history-summary[data-points]");
        Assert.Contains("Truck 1", await page.InnerTextAsync("#history-subject"), StringComparison.Ordinal);
        await alert.Locator("button.ack").ClickAsync();
        await page.WaitForSelectorAsync("#alerts-list li.acked[data-rule='geofence']");

        stack.Simulator.Escape(false);
        await page.WaitForSelectorAsync("#alerts-list li.cleared[data-rule='geofence']");
        Assert.Equal(1, await page.Locator("#alerts-list li[data-rule='geofence']").CountAsync());
        Assert.Equal(0, await page.Locator("#alerts-list li.cleared button.ack").CountAsync());
        Assert.Empty(errors);
        var id = await page.GetAttributeAsync("#alerts-list li.cleared[data-rule='geofence']", "data-id");
        var status = await page.EvaluateAsync<int>($"() => fetch('/api/alerts/ack', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json', 'X-Gateway-Dashboard': '1' }}, body: JSON.stringify({{ id: '{id}' }}) }}).then(r => r.status)");
        Assert.Equal(409, status);
    }

    [Fact]
    public async Task LargeFleet_IsDrawnAsDotsOnOneCanvas_AndAClickSelectsTheDotUnderThePointer()
    {
        // 1,500 assets (above the page's 1,000) on a map of their own on the page: deploy/bench/dashboard.sh measures the
        // speed with 10,000; this holds what it draws and what a click does.
        var (page, errors) = await stack.LoginAsync("watch");
        var dot = await page.EvaluateAsync<JsonElement>(@"() => new Promise(resolve => {
            const box = document.createElement('div');
            box.id = 'large-map'; box.style.width = '600px'; box.style.height = '400px';
            document.body.prepend(box);
            window.largeSelected = null;
            const map = new Dash.FleetMap(box, key => { window.largeSelected = key; });
            map.setBase({ kind: 'grid' });
            const assets = [];
            for (let i = 0; i < 1500; i++)
                assets.push({ tag: 'c' + String(i).padStart(7, '0'), name: 'Dot ' + i, lat: 10 + (i % 50) * 0.002, lon: 20 + Math.floor(i / 50) * 0.002, moving: i % 2 === 0 });
            map.updateAssets(assets, true);
            requestAnimationFrame(() => requestAnimationFrame(() => {
                const layer = map.assetDots, canvas = box.querySelector('canvas.dot-layer');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let painted = 0;
                for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
                const d = layer.drawn[Math.floor(layer.drawn.length / 2)];
                resolve({ dots: layer.dots.size, drawn: layer.drawn.length, markers: box.querySelectorAll('.leaflet-marker-icon').length, painted: painted, key: d.key, x: d.x, y: d.y });
            }));
        })");
        Assert.Equal(1500, dot.GetProperty("dots").GetInt32());
        Assert.Equal(1500, dot.GetProperty("drawn").GetInt32());
        Assert.Equal(0, dot.GetProperty("markers").GetInt32());
        Assert.True(dot.GetProperty("painted").GetInt32() > 1500, "the dots are painted on the canvas");
        var box = (await page.Locator("#large-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + dot.GetProperty("x").GetSingle(), box.Y + dot.GetProperty("y").GetSingle());
        Assert.Equal(dot.GetProperty("key").GetString(), await page.EvaluateAsync<string>("() => window.largeSelected"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Phone_400x800_ShowsTheMapFirstAndTheAssetsAsCards()
    {
        var (page, errors) = await stack.LoginAsync("ops", 400, 800);
        await page.WaitForSelectorAsync("#assets-table tbody tr");
        var map = (await page.Locator("#map").BoundingBoxAsync())!;
        var alerts = (await page.Locator(".alerts-panel").BoundingBoxAsync())!;
        var assets = (await page.Locator("#assets-table").BoundingBoxAsync())!;
        Assert.True(map.Y < alerts.Y && map.Y < assets.Y, "the map comes first");
        Assert.True(map.Width <= 400 && map.Height >= 300, $"the map fills the width: {map.Width}x{map.Height}");
        // Queried and measured in one task: the lists are re-rendered in batches, which detaches old rows.
        Assert.Equal("block", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#assets-table tbody tr')).display"));
        Assert.Equal("none", await page.EvalOnSelectorAsync<string>("#assets-table thead", "t => getComputedStyle(t).display"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 400"), "nothing is cut off to the right");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ArtifactPath("dashboard-phone.png"), FullPage = true });
        Assert.Empty(errors);
    }

    /// <summary>Picks the custom range around the known history (<see cref="DashboardFixture.ReplayStart"/>) for the selection.</summary>
    private async Task ShowReplayHourAsync(IPage page)
    {
        await page.SelectOptionAsync("#range", "custom");
        await page.FillAsync("#range-from", Local(stack.ReplayStart.AddMinutes(-5)));
        await page.FillAsync("#range-to", Local(stack.ReplayStart.AddHours(1)));
        await page.ClickAsync("#range-apply");
    }

    private static Task<int> MapZoomAsync(IPage page) => page.EvaluateAsync<int>("() => Dash.map.map.getZoom()");

    private static string Local(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static async Task<string> DownloadAsync(IPage page, string selector)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(selector));
        var path = await download.PathAsync();
        return await File.ReadAllTextAsync(path!);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The dashboard did not reach the expected state within 30 s: {what}");
            await Task.Delay(200);
        }
    }
}
