using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Ingest.Store;

/// <summary>
/// InfluxDB's v1 <c>/write</c> API (db, rp, user/password), which 1.x serves natively and 2.x/3.x serve for
/// compatibility. Credentials go in an HTTP Basic header, not the query string, so they stay out of access logs.
/// </summary>
public sealed class InfluxV1Writer : StoreWriter
{
    private readonly AuthenticationHeaderValue? _auth;

    public InfluxV1Writer(Uri baseUrl, string database, string? retentionPolicy = null, string? username = null, string? password = null,
        bool gzip = true, TimeSpan? timeout = null, TimeProvider? time = null)
        : base(baseUrl, gzip, timeout ?? TimeSpan.FromSeconds(30), time)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        Database = database;
        var query = $"db={Uri.EscapeDataString(database)}&precision=ms" + (retentionPolicy is null ? "" : $"&rp={Uri.EscapeDataString(retentionPolicy)}");
        WriteUri = new Uri(baseUrl, $"write?{query}");
        if (username is not null)
            _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public string Database { get; }

    public override string Describe => $"InfluxDB at {BaseUrl}";

    protected override Uri WriteUri { get; }

    protected override void Authorize(HttpRequestMessage request) => request.Headers.Authorization = _auth;

    public override StoreWriteResult Classify(HttpStatusCode status, string error, TimeSpan? retryAfter) => status switch
    {
        // 1.x: "database not found": an operator can fix it, so hold the data and retry rather than drop it.
        HttpStatusCode.NotFound => new(StoreWriteOutcome.Retryable,
            $"InfluxDB has no database '{Database}' ({error}); create it (influx -execute 'CREATE DATABASE \"{Database}\"'); writes are retried until it exists"),
        _ => base.Classify(status, error, retryAfter),
    };
}
