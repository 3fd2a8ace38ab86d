using System.Net;
using Gateway.Ingest.Dashboard;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// Issue 12 item 7 over real HTTP (the central service as the executable runs it): failed logins answer with the wait
/// before the next try, a browser that logged in before gets in while a guesser's failures hold the address and the
/// name, one session cannot open more than its share of live streams, and /metrics counts all of it. The delays
/// themselves are proven with a manual clock in <c>Gateway.Ingest.Tests.Dashboard.LoginThrottleTests</c>.
/// </summary>
public sealed class DashboardLoginTests
{
    private const string Password = "ops-password-1";

    [Fact]
    public async Task Logins_AreThrottledNotLocked_AndOneSessionCannotTakeEveryLiveStream()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var central = new CentralRunner();
        var port = FreePort.Next();
        await central.StartAsync(new
        {
            broker = new { port = broker.Port, clientId = "ingest-login" },
            ingest = new { enabled = false },
            stateDirectory = Path.Combine(central.Directory, "state"),
            dashboard = new
            {
                enabled = true, listen = $"http://127.0.0.1:{port}", plainHttp = true,
                accounts = new[] { new { user = "ops", passwordHash = PasswordHash.Create(Password, PasswordHash.MinIterations) } },
            },
        });
        var url = new Uri($"http://127.0.0.1:{port}/");
        using var operatorCookies = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var operatorBrowser = new HttpClient(operatorCookies) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        using var guesser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal("/", await LoginAsync(operatorBrowser, Password));
        var device = operatorCookies.CookieContainer.GetCookies(new Uri(url, "login"))[DeviceTrust.Cookie];
        Assert.NotNull(device);
        Assert.True(device.HttpOnly);

        // Three wrong passwords from elsewhere: the third answer carries the wait before the next try.
        Assert.Equal("/login?failed=1", await LoginAsync(guesser, "wrong-1"));
        Assert.Equal("/login?failed=1", await LoginAsync(guesser, "wrong-2"));
        Assert.Equal($"/login?failed=1&wait={(int)LoginThrottle.DelayAfter(3).TotalSeconds}", await LoginAsync(guesser, "wrong-3"));
        // The operator's browser is not held by the guesser's failures (same address here, same name).
        Assert.Equal("/", await LoginAsync(operatorBrowser, Password));

        // Live streams: one session gets its share, the next is refused with a reason, and the server says so.
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < LiveHub.MaxPerSession; i++)
            {
                streams.Add(await operatorBrowser.GetAsync("api/stream", HttpCompletionOption.ResponseHeadersRead));
                Assert.Equal(HttpStatusCode.OK, streams[^1].StatusCode);
            }
            using var refused = await operatorBrowser.GetAsync("api/stream");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("close other dashboard tabs", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(3, await Fleet.MetricAsync(metrics, url, "dashboard_login_failures_total"));
            Assert.Equal(LiveHub.MaxPerSession, await Fleet.MetricAsync(metrics, url, "dashboard_streams"));
            Assert.Equal(1, await Fleet.MetricAsync(metrics, url, "dashboard_streams_refused_total"));
        }
        finally
        {
            foreach (var s in streams) s.Dispose();
        }
    }

    private static async Task<string> LoginAsync(HttpClient client, string password)
    {
        using var form = new FormUrlEncodedContent([new("user", "ops"), new("password", password)]);
        using var response = await client.PostAsync("login", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }
}
