using System.Globalization;
using Microsoft.Playwright;

namespace Gateway.Benchmarks.Dashboard;

/// <summary>
/// The browser half of deploy/bench/dashboard.sh: logs in to a running dashboard in Debian's chromium (headless), measures
/// the first page load (navigation to the fleet drawn on the map and in the lists: the page's 'fleet-rendered' mark, and
/// the browser's first contentful paint), then watches the live page for a window and counts its batched redraws and the
/// live events behind them. Prints "live" when the window starts (the script measures the ingest's CPU over it) and one
/// result line at the end.
/// </summary>
public static class DashboardProbe
{
    /// <summary>dashboard URL USER PASSWORD WINDOW_SECONDS</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var url, var user, var password, var windowText] || !int.TryParse(windowText, CultureInfo.InvariantCulture, out var window))
        {
            await Console.Error.WriteLineAsync("usage: Gateway.Benchmarks dashboard URL USER PASSWORD WINDOW_SECONDS");
            return 64;
        }
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(60_000);
        var errors = 0;
        page.Console += (_, m) => { if (m.Type == "error") errors++; };
        await page.GotoAsync(url + "login");
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-submit");
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('fleet-rendered').length > 0", null, new() { Timeout = 120_000 });
        var paint = await page.EvaluateAsync<double[]>(@"() => [
            performance.getEntriesByName('fleet-rendered')[0].startTime,
            (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: -1 }).startTime,
            document.querySelectorAll('#assets-table tbody tr, #unregistered-table tbody tr').length,
            Dash.state.assets.size, Dash.state.gateways.size]");
        // Where the first load's time went: the page's marks, and the slowest requests (start and end, ms since navigation).
        Console.WriteLine(await page.EvaluateAsync<string>(@"() => [
            ...performance.getEntriesByType('mark').map(m => m.name + '@' + Math.round(m.startTime)),
            ...performance.getEntriesByType('navigation').map(n => 'html@' + Math.round(n.responseEnd) + ' dom-content-loaded@' + Math.round(n.domContentLoadedEventEnd)),
            ...performance.getEntriesByType('resource').sort((a, b) => b.duration - a.duration).slice(0, 8)
                .map(r => r.name.replace(location.origin, '') + '@' + Math.round(r.startTime) + '-' + Math.round(r.responseEnd) + '(' + Math.round(r.encodedBodySize / 1024) + 'KB)')].join(' ')"));
        await page.WaitForSelectorAsync("#live:not(.off)");
        var start = await page.EvaluateAsync<double[]>("() => [Dash.renderCount(), Dash.eventCount(), performance.now()]");
        Console.WriteLine("live");
        await Task.Delay(TimeSpan.FromSeconds(window));
        var end = await page.EvaluateAsync<double[]>("() => [Dash.renderCount(), Dash.eventCount(), performance.now()]");
        var seconds = (end[2] - start[2]) / 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first_meaningful_paint_ms={paint[0]:0} first_contentful_paint_ms={paint[1]:0} rows={paint[2]:0} assets={paint[3]:0} gateways={paint[4]:0} " +
            $"dom_updates_per_s={(end[0] - start[0]) / seconds:0.00} live_events_per_s={(end[1] - start[1]) / seconds:0.0} window_s={seconds:0.0} console_errors={errors}"));
        return 0;
    }
}
