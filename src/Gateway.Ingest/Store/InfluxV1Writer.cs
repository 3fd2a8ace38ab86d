using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gateway.Ingest.Store;

/// <summary>
/// Writes line protocol through InfluxDB's v1 <c>/write</c> API (<c>precision=ms</c>, DESIGN §4.4), which InfluxDB
/// 1.x serves natively and 2.x/3.x serve for compatibility. Only classifies answers; retry policy is the caller's.
/// </summary>
public sealed class InfluxV1Writer : IDisposable
{
    /// <summary>Upper bound on an error body we read: InfluxDB's are one JSON line; a proxy's HTML page need not be kept.</summary>
    private const int MaxErrorBodyChars = 1024;

    private readonly HttpClient _http;
    private readonly Uri _writeUri;

    public InfluxV1Writer(Uri baseUrl, string database, string? retentionPolicy = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        Database = database;
        BaseUrl = baseUrl;
        var query = $"db={Uri.EscapeDataString(database)}&precision=ms" + (retentionPolicy is null ? "" : $"&rp={Uri.EscapeDataString(retentionPolicy)}");
        _writeUri = new Uri(baseUrl, $"write?{query}");
        _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }
    public string Database { get; }

    public async Task<StoreWriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(lines);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_writeUri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return new(StoreWriteOutcome.Retryable, $"InfluxDB at {BaseUrl} is unreachable: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new(StoreWriteOutcome.Retryable, $"InfluxDB at {BaseUrl} did not answer in time: {ex.Message}");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return StoreWriteResult.Written;
            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            return Classify(response.StatusCode, error, response.Headers.RetryAfter, Database);
        }
    }

    /// <summary>Maps an InfluxDB error answer to an outcome; public so the mapping is tested without a server.</summary>
    public static StoreWriteResult Classify(HttpStatusCode status, string error, RetryConditionHeaderValue? retryAfter, string database) => status switch
    {
        // 1.x: "database not found": an operator can fix it, so hold the data and retry rather than drop it.
        HttpStatusCode.NotFound => new(StoreWriteOutcome.Retryable,
            $"InfluxDB has no database '{database}' ({error}); create it (influx -execute 'CREATE DATABASE \"{database}\"'); writes are retried until it exists"),
        HttpStatusCode.RequestEntityTooLarge => new(StoreWriteOutcome.TooLarge, error),
        HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => new(StoreWriteOutcome.Throttled, error, RetryDelay(retryAfter)),
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new(StoreWriteOutcome.Retryable,
            $"InfluxDB refused the credentials ({error}); fix the ingest's store credentials; writes are retried"),
        // 400 (bad lines, field type conflict, partial write: 1.x wrote the good lines already) and 422 (2.x/3.x
        // unprocessable): the data itself is wrong, so a retry would fail the same way.
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new(StoreWriteOutcome.Permanent, error),
        _ => new(StoreWriteOutcome.Retryable, $"InfluxDB answered {(int)status}: {error}"),
    };

    private static TimeSpan? RetryDelay(RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta) return delta;
        if (retryAfter?.Date is { } date) return date - DateTimeOffset.UtcNow;
        return null;
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > MaxErrorBodyChars) body = body[..MaxErrorBodyChars];
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var e) && e.GetString() is { } message) return message;
        }
        catch (JsonException)
        {
        }
        return body.Trim();
    }

    public void Dispose() => _http.Dispose();
}
