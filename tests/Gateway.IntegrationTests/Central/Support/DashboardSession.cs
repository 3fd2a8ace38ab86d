using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Gateway.TestKit.Io;

namespace Gateway.IntegrationTests.Central.Support;

/// <summary>
/// The dashboard over HTTPS as a browser reaches it: trusting only the fleet CA, logged in through the login form (the
/// session cookie kept), reading the JSON API an operator's page reads.
/// </summary>
public sealed class DashboardSession : IDisposable
{
    private readonly HttpClient _client;

    private DashboardSession(HttpClient client) => _client = client;

    /// <summary>Logs in as <paramref name="user"/>; fails the test when the login is refused or the server is not the one the CA vouches for.</summary>
    public static async Task<DashboardSession> LogInAsync(Uri dashboard, X509Certificate2 fleetCa, string user, string password, CancellationToken ct)
    {
        var client = new HttpClient(TrustOnly.Handler(fleetCa)) { BaseAddress = dashboard };
        using var form = new FormUrlEncodedContent([new("user", user), new("password", password)]);
        using var response = await client.PostAsync(new Uri("login", UriKind.Relative), form, ct);
        // A good login redirects to the page (200 after the redirect); a refused one back to the form.
        if (response.StatusCode != HttpStatusCode.OK || response.RequestMessage?.RequestUri?.AbsolutePath != "/")
        {
            client.Dispose();
            throw new InvalidOperationException($"login as {user} at {dashboard} failed: {(int)response.StatusCode} at {response.RequestMessage?.RequestUri}");
        }
        return new DashboardSession(client);
    }

    /// <summary>GET /api/{path} as JSON.</summary>
    public async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        using var response = await _client.GetAsync(new Uri($"api/{path}", UriKind.Relative), ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.Clone();
    }

    /// <summary>Polls /api/{path} until <paramref name="done"/> holds; the token bounds the wait.</summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> done, CancellationToken ct)
    {
        var last = "(no answer yet)";
        try
        {
            while (true)
            {
                var value = await GetAsync(path, ct);
                if (done(value)) return value;
                last = value.GetRawText();
                await Task.Delay(200, ct);
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"/api/{path} never showed what the test waits for; last answer: {last[..Math.Min(last.Length, 2000)]}", ex);
        }
    }

    public void Dispose() => _client.Dispose();
}
