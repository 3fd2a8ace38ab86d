using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.Buffers;

namespace Gateway.Ingest.Store;

/// <summary>
/// Posts line protocol to a time-series store and classifies the answer (DESIGN §5, after Telegraf's outputs):
/// written, permanent, retryable, throttled, too large. No retry policy here: that is <see cref="Batching.BatchWriter"/>'s.
/// Every write sends <c>precision=ms</c> (DESIGN §4.4) and, unless turned off, a gzip body (RFC 1952), which the three
/// store families accept with <c>Content-Encoding: gzip</c>.
/// </summary>
public abstract class StoreWriter : IDisposable
{
    /// <summary>Upper bound on an error body we keep: stores answer one JSON line; a proxy's HTML page need not be kept.</summary>
    private const int MaxErrorBodyChars = 1024;

    private readonly HttpClient _http;
    private readonly bool _gzip;
    private readonly TimeProvider _time;

    protected StoreWriter(Uri baseUrl, bool gzip, TimeSpan timeout, TimeProvider? time)
    {
        BaseUrl = baseUrl;
        _gzip = gzip;
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) }) { Timeout = timeout };
    }

    public Uri BaseUrl { get; }

    /// <summary>What the store is called in messages: "InfluxDB at http://...".</summary>
    public abstract string Describe { get; }

    /// <summary>Where the lines go, with database/bucket and <c>precision=ms</c>.</summary>
    protected abstract Uri WriteUri { get; }

    /// <summary>Credentials, if any.</summary>
    protected virtual void Authorize(HttpRequestMessage request)
    {
    }

    /// <summary>
    /// Where the credentials come from, for messages ("user 'ingest' with the password in /etc/gateway-ingest/influx-password"),
    /// or null when none are configured. Never the secret itself.
    /// </summary>
    public string? CredentialsSource { get; init; }

    /// <summary>
    /// Sends an empty write: the store checks the credentials and the right to write (InfluxDB 1.x: 204, 401
    /// "authorization failed", 403 "not authorized to write"; 2.x and VictoriaMetrics likewise) without storing
    /// anything. Used once at start so that a wrong password stops the service there instead of failing every write.
    /// </summary>
    public async Task<StoreWriteResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var body = new StoreBody(ReadOnlyMemory<byte>.Empty, null);
        return await WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="lines"/> (whole lines, each ending in '\n'); the memory is only read during the call.</summary>
    public async Task<StoreWriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        using var body = Prepare(lines);
        return await WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="lines"/> ready to send: gzipped now when the store takes gzip, so that the CPU work is done
    /// before a write slot is taken (and once, however often the write is retried). The caller disposes the body.
    /// </summary>
    public StoreBody Prepare(ReadOnlyMemory<byte> lines)
    {
        if (!_gzip) return new StoreBody(lines, null);
        var compressed = new PooledBufferWriter(lines.Length / 2 + 1024);
        try
        {
            // Fastest: line protocol compresses about 5-10x even at the lowest level; the CPU is better spent parsing.
            using (var gzip = new GZipStream(new BufferWriterStream(compressed), CompressionLevel.Fastest)) gzip.Write(lines.Span);
            return new StoreBody(lines, compressed);
        }
        catch
        {
            compressed.Dispose();
            throw;
        }
    }

    /// <summary>Sends a prepared body once and classifies the answer; the body stays the caller's.</summary>
    public virtual async Task<StoreWriteResult> WriteAsync(StoreBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, WriteUri);
        request.Content = new ReadOnlyMemoryContent(body.IsCompressed ? body.Compressed : body.Lines);
        if (body.IsCompressed) request.Content.Headers.ContentEncoding.Add("gzip");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        Authorize(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return new(StoreWriteOutcome.Retryable, $"{Describe} is unreachable: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new(StoreWriteOutcome.Retryable, $"{Describe} did not answer in time: {ex.Message}");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return StoreWriteResult.Written;
            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            return Classify(response.StatusCode, error, RetryDelay(response.Headers.RetryAfter));
        }
    }

    /// <summary>Maps an error answer to an outcome. Public for tests: the mapping is checked without a server.</summary>
    public virtual StoreWriteResult Classify(HttpStatusCode status, string error, TimeSpan? retryAfter) => status switch
    {
        HttpStatusCode.RequestEntityTooLarge => new(StoreWriteOutcome.TooLarge, error),
        HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => new(StoreWriteOutcome.Throttled, $"{Describe} asks to slow down ({(int)status}): {error}", retryAfter),
        HttpStatusCode.Unauthorized => new(StoreWriteOutcome.Unauthorized, CredentialsSource is null
            ? $"{Describe} requires credentials ({error}); set store.username and store.passwordFile (or store.tokenFile) in the configuration"
            : $"{Describe} refused {CredentialsSource} ({error}); put the right secret in that file (or reset it in the store) and restart"),
        HttpStatusCode.Forbidden => new(StoreWriteOutcome.Unauthorized,
            $"{Describe} accepted {CredentialsSource ?? "no credentials"} but refused the write ({error}); grant that user write access to the database"),
        // 400 (bad lines, field type conflict; 1.x has written the good lines already) and 422 (2.x/3.x unprocessable):
        // the data itself is wrong, so a retry would fail the same way.
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new(StoreWriteOutcome.Permanent, error),
        _ => new(StoreWriteOutcome.Retryable, $"{Describe} answered {(int)status}: {error}"),
    };

    /// <summary>Retry-After (RFC 9110 §10.2.3): seconds or an HTTP date; a date is turned into a delay once, here.</summary>
    private TimeSpan? RetryDelay(RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta) return delta;
        if (retryAfter?.Date is { } date) return date - _time.GetUtcNow();
        return null;
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > MaxErrorBodyChars) body = body[..MaxErrorBodyChars];
        try
        {
            using var doc = JsonDocument.Parse(body);
            // 1.x: {"error": "..."}; 2.x/3.x: {"code": "...", "message": "..."}.
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String) return e.GetString()!;
                if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) return m.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        return body.Trim();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _http.Dispose();
    }
}
