using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Ingest.Store;

/// <summary>
/// VictoriaMetrics' InfluxDB line-protocol endpoint (<c>/write</c>, <c>precision=ms</c>). VictoriaMetrics stores
/// numeric and boolean fields as series <c>{measurement}_{field}</c> and ignores string fields (an event's message);
/// the <c>db</c> argument becomes a <c>db</c> label so several fleets can share one instance. Credentials, when set:
/// a bearer token (vmauth in front of VictoriaMetrics) or a user and password (its own <c>-httpAuth.*</c> Basic auth).
/// </summary>
public sealed class VictoriaMetricsWriter : StoreWriter
{
    private readonly AuthenticationHeaderValue? _auth;

    public VictoriaMetricsWriter(Uri baseUrl, string database, bool gzip = true, TimeSpan? timeout = null, TimeProvider? time = null,
        string? bearerToken = null, string? username = null, string? password = null)
        : base(baseUrl, gzip, timeout ?? TimeSpan.FromSeconds(30), time)
    {
        WriteUri = new Uri(baseUrl, $"write?db={Uri.EscapeDataString(database)}&precision=ms");
        if (bearerToken is not null) _auth = new AuthenticationHeaderValue("Bearer", bearerToken);
        else if (username is not null) _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public override string Describe => $"VictoriaMetrics at {BaseUrl}";

    protected override Uri WriteUri { get; }

    protected override void Authorize(HttpRequestMessage request) => request.Headers.Authorization = _auth;
}
