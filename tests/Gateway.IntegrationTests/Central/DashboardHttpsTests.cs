using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Cli.Pki;
using Gateway.Ingest.Dashboard;
using Gateway.Ingest.Dashboard.Auth;
using Gateway.IntegrationTests.Central.Support;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;
using Microsoft.Playwright;

namespace Gateway.IntegrationTests.Central;

/// <summary>
/// The production dashboard: HTTPS with a certificate from the fleet CA (<c>gatewayctl cert issue --role dashboard</c>),
/// reached in a real chromium that trusts exactly that certificate's key; the session cookie is Secure, HttpOnly and
/// SameSite=Strict, every answer carries HSTS, and the history reads go to an InfluxDB with auth as the read-only user.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DashboardHttpsTests
{
    private const string User = "ops";
    private const string Password = "ops-password-1";

    [Fact]
    public async Task Dashboard_OverHttpsFromTheFleetCa_InChromium_SetsSecureHttpOnlyStrictCookies_AndHsts()
    {
        using var pki = new TempDirectory("pki");
        using var ca = FleetCa.Init(pki.File("ca"), "Fleet", TimeProvider.System);
        var (crt, key) = ca.Issue(new IssueRequest("dashboard-hq", CertificateRole.Dashboard) { Addresses = [IPAddress.Loopback] }, pki.File("certs"));
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync(auth: true);
        await influx.CreateDatabaseAsync("fleet");
        await influx.CreateUserAsync("ingest", "writer-password", "WRITE", "fleet");
        await influx.CreateUserAsync("dashboard", "reader-password", "READ", "fleet");
        var port = FreePort.Next();
        await using var central = new CentralRunner();
        await central.StartAsync(new
        {
            broker = new { port = broker.Port, clientId = "ingest-https", shareGroup = "none" },
            store = new { url = influx.Url.ToString(), database = "fleet", username = "ingest", passwordFile = pki.Secret("w", "writer-password") },
            history = new { username = "dashboard", passwordFile = pki.Secret("r", "reader-password") },
            stateDirectory = Path.Combine(central.Directory, "state"),
            dashboard = new
            {
                enabled = true,
                listen = $"https://127.0.0.1:{port}",
                tls = new { certFile = crt, keyFile = key },
                accounts = new[] { new { user = User, passwordHash = PasswordHash.Create(Password, PasswordHash.MinIterations) } },
            },
        });
        var url = new Uri($"https://127.0.0.1:{port}/");

        // An HTTP client that trusts only the fleet CA: the chain and the address check pass, HSTS is on the answer.
        using (var client = new HttpClient(TrustOnly.Handler(ca.Certificate)))
        {
            using var login = await client.GetAsync(new Uri(url, "login"));
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal(HttpsHosting.StrictTransportSecurity, login.Headers.GetValues("Strict-Transport-Security").Single());
        }
        // Plain HTTP on the same port gets no dashboard.
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{port}/login"));

        using var cert = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(crt));
        var spki = Convert.ToBase64String(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // Trust exactly the dashboard's key (not "ignore every certificate error"): a different certificate still fails.
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run",
                $"--ignore-certificate-errors-spki-list={spki}"],
        });
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var first = await page.GotoAsync(url.ToString());
        Assert.NotNull(first);
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal);
        Assert.StartsWith("https://", page.Url, StringComparison.Ordinal);
        Assert.Equal(HttpsHosting.StrictTransportSecurity, await first.HeaderValueAsync("strict-transport-security"));
        await page.FillAsync("#user", User);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url.ToString());

        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == DashboardEndpoints.SessionCookie);
        Assert.True(session.Secure, "the session cookie must be Secure");
        Assert.True(session.HttpOnly, "the session cookie must be HttpOnly");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        // HttpOnly as the page sees it: scripts cannot read the session.
        Assert.DoesNotContain(DashboardEndpoints.SessionCookie, await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
    }
}
