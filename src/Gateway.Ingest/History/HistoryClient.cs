using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Monitoring;

namespace Gateway.Ingest.History;

/// <summary>A history query failed; the message says why and what to check.</summary>
public sealed class HistoryException(string message, Exception? inner = null, bool credentialsRefused = false) : Exception(message, inner)
{
    /// <summary>The store refused the credentials or the user's right to read (401/403): fixing them is an operator's job.</summary>
    public bool CredentialsRefused { get; } = credentialsRefused;
}

/// <summary>
/// History from the store through InfluxQL on <c>/query</c>, which InfluxDB 1.x serves natively and 2.x/3.x serve for
/// v1 compatibility (2.x through a DBRP mapping of the bucket): one query language for the three. Only fixed query
/// shapes are sent; the values put into them (gateway and tag ids) are validated first, so no input reaches InfluxQL raw.
/// Every name is qualified (<c>::tag</c>, <c>::field</c>): unqualified, InfluxQL takes a field before a tag of the same
/// name, so points already stored with a field <c>gateway</c> would answer for another gateway (issue 12 item 3).
/// </summary>
public sealed class HistoryClient : IDisposable
{
    /// <summary>Upper bound on a reply we parse: a day of one asset's positions is well below this.</summary>
    private const int MaxReplyBytes = 32 * 1024 * 1024;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = MaxReplyBytes };
    private readonly HistoryConfig _config;
    private readonly AuthenticationHeaderValue? _auth;

    public HistoryClient(HistoryConfig config)
    {
        _config = config;
        if (config.Token is not null) _auth = new AuthenticationHeaderValue("Token", config.Token);
        else if (config.Username is not null)
            _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}")));
    }

    /// <summary>Every asset's positions over the last <paramref name="length"/>, oldest first.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TrailPoint>>> TrailsAsync(TimeSpan length, CancellationToken ct)
    {
        var q = $"SELECT \"lat\"::field, \"lon\"::field FROM \"tag\" WHERE time > now() - {Minutes(length)}m AND \"lat\"::field >= -90 GROUP BY \"tag\"::tag ORDER BY time DESC LIMIT {FleetState.MaxTrailPoints}";
        var result = new Dictionary<string, IReadOnlyList<TrailPoint>>(StringComparer.Ordinal);
        foreach (var series in await QueryAsync(q, ct).ConfigureAwait(false))
        {
            if (series.Tags.GetValueOrDefault("tag") is not { } tag) continue;
            var points = series.Rows.Where(r => r.Length >= 3 && r[0] is not null && r[1] is not null && r[2] is not null)
                .Select(r => new TrailPoint((long)r[0]!.Value, r[1]!.Value, r[2]!.Value)).OrderBy(p => p.T).ToList();
            result[tag] = points;
        }
        return result;
    }

    /// <summary>One asset's positions and battery over the last <paramref name="length"/>: rows of [time, lat, lon, battery_mv].</summary>
    public Task<IReadOnlyList<Series>> AssetAsync(string tag, TimeSpan length, CancellationToken ct)
    {
        if (!Topics.FleetTopic.IsTagId(tag)) throw new ArgumentException($"'{tag}' is not a tag id (8 lowercase hex digits).", nameof(tag));
        return QueryAsync($"SELECT \"lat\"::field, \"lon\"::field, \"battery_mv\"::field, \"gateway\"::tag FROM \"tag\" WHERE \"tag\"::tag = '{tag}' AND time > now() - {Minutes(length)}m ORDER BY time ASC LIMIT 10000", ct);
    }

    /// <summary>A gateway's enclosure temperature, backlog and supply voltage in time buckets (rows of [time, value]).</summary>
    public Task<IReadOnlyList<Series>> GatewayAsync(string gatewayId, TimeSpan length, CancellationToken ct)
    {
        if (!Topics.FleetTopic.IsGatewayId(gatewayId)) throw new ArgumentException($"'{gatewayId}' is not a gateway id.", nameof(gatewayId));
        var bucket = Math.Max(1, Minutes(length) / 120);
        var where = $"WHERE \"gateway\"::tag = '{gatewayId}' AND time > now() - {Minutes(length)}m GROUP BY time({bucket}m) fill(none)";
        return QueryAsync(
            $"SELECT max(\"temperature\"::field) AS \"enclosure_temperature\" FROM \"env\" {where}; " +
            $"SELECT last(\"queue_records\"::field) AS \"backlog\" FROM \"gateway\" {where}; " +
            $"SELECT mean(\"bus_voltage\"::field) AS \"bus_voltage\" FROM \"power\" {where}", ct);
    }

    /// <summary>
    /// One cheap read (<c>SHOW MEASUREMENTS LIMIT 1</c>) that the store authorizes like any history query: used once at
    /// start, so that a wrong read password stops the service there. Throws <see cref="HistoryException"/>.
    /// </summary>
    public Task ProbeAsync(CancellationToken ct) => QueryAsync("SHOW MEASUREMENTS LIMIT 1", ct);

    /// <summary>What a refusal names: the user and the file the secret came from, never the secret.</summary>
    private string Credentials => Store.StoreWriterFactory.DescribeCredentials(_config.Token is null ? _config.Username : null, _config.CredentialsFile) ?? "the anonymous request";

    /// <summary>Runs InfluxQL; returns every series of every statement. Numbers as double (time as unix ms).</summary>
    public async Task<IReadOnlyList<Series>> QueryAsync(string influxQl, CancellationToken ct)
    {
        var uri = new Uri(_config.Url, $"query?db={Uri.EscapeDataString(_config.Database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = _auth;
        string body;
        try
        {
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                throw new HistoryException($"the store at {_config.Url} refused {Credentials} for history queries ({(int)response.StatusCode}: {Trim(body)}); " +
                    (response.StatusCode == System.Net.HttpStatusCode.Forbidden ? $"grant that user READ on {_config.Database}" : "put the right secret in that file (or reset it in the store) and restart"),
                    credentialsRefused: true);
            if (!response.IsSuccessStatusCode)
                throw new HistoryException($"the store at {_config.Url} answered {(int)response.StatusCode} to a history query: {Trim(body)}");
        }
        catch (HttpRequestException ex)
        {
            throw new HistoryException($"the store at {_config.Url} is unreachable for history queries: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new HistoryException($"the store at {_config.Url} did not answer a history query in time", ex);
        }
        return Parse(body);
    }

    /// <summary>Parses an InfluxQL JSON reply (<c>results[].series[]</c>); public for tests.</summary>
    public static IReadOnlyList<Series> Parse(string body)
    {
        var list = new List<Series>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("results", out var results)) return list;
            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("error", out var error)) throw new HistoryException($"InfluxQL error: {error.GetString()}");
                if (!result.TryGetProperty("series", out var series)) continue;
                foreach (var s in series.EnumerateArray()) list.Add(Series.From(s));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new HistoryException($"the store's history reply is not InfluxQL JSON: {ex.Message}", ex);
        }
        return list;
    }

    private static int Minutes(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalMinutes));

    private static string Trim(string s) => s.Length > 300 ? s[..300] : s.Trim();

    public void Dispose() => _http.Dispose();
}

/// <summary>One InfluxQL series: name, tags, columns and rows (numbers as double, strings and nulls as null).</summary>
public sealed record Series(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<double?[]> Rows, IReadOnlyList<string?[]> Text)
{
    internal static Series From(JsonElement s)
    {
        var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var tags = s.TryGetProperty("tags", out var t) ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "") : [];
        var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToList();
        var rows = new List<double?[]>();
        var text = new List<string?[]>();
        if (s.TryGetProperty("values", out var values))
        {
            foreach (var v in values.EnumerateArray())
            {
                var cells = v.EnumerateArray().ToList();
                rows.Add(cells.Select(c => c.ValueKind == JsonValueKind.Number ? c.GetDouble() : c.ValueKind == JsonValueKind.True ? 1 : c.ValueKind == JsonValueKind.False ? 0 : (double?)null).ToArray());
                text.Add(cells.Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : null).ToArray());
            }
        }
        return new Series(name, tags, columns, rows, text);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Rows.Count} rows");
}
