using System.Net;
using System.Net.Http.Headers;

namespace Gateway.Ingest.Store;

/// <summary>
/// InfluxDB 2.x and 3.x <c>/api/v2/write</c> (org, bucket, <c>Authorization: Token</c>), with <c>precision=ms</c>.
/// 3.x serves the same endpoint for v2 clients; the org may be empty there.
/// </summary>
public sealed class InfluxV2Writer : StoreWriter
{
    private readonly AuthenticationHeaderValue _auth;

    public InfluxV2Writer(Uri baseUrl, string? org, string bucket, string token, bool gzip = true, TimeSpan? timeout = null, TimeProvider? time = null)
        : base(baseUrl, gzip, timeout ?? TimeSpan.FromSeconds(30), time)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentException.ThrowIfNullOrEmpty(token);
        Bucket = bucket;
        var query = $"bucket={Uri.EscapeDataString(bucket)}&precision=ms" + (org is null ? "" : $"&org={Uri.EscapeDataString(org)}");
        WriteUri = new Uri(baseUrl, $"api/v2/write?{query}");
        _auth = new AuthenticationHeaderValue("Token", token);
    }

    public string Bucket { get; }

    public override string Describe => $"InfluxDB v2 API at {BaseUrl}";

    protected override Uri WriteUri { get; }

    protected override void Authorize(HttpRequestMessage request) => request.Headers.Authorization = _auth;

    public override StoreWriteResult Classify(HttpStatusCode status, string error, TimeSpan? retryAfter) => status switch
    {
        // 2.x: "bucket not found" (404): fixable by an operator; hold the data.
        HttpStatusCode.NotFound => new(StoreWriteOutcome.Retryable,
            $"{Describe} has no bucket '{Bucket}' ({error}); create it (influx bucket create -n {Bucket}); writes are retried until it exists"),
        _ => base.Classify(status, error, retryAfter),
    };
}
