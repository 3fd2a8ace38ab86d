using System.Globalization;

namespace Gateway.Ingest.History;

/// <summary>One position or beacon of an asset's history; null where the frame did not carry the value.</summary>
public sealed record TrackPoint(long T, double? Lat, double? Lon, double? BatteryMv, double? Rssi, double? Snr, string? Gateway);

/// <summary>An asset's history over a range: raw when it fits <see cref="TrackQueries.MaxPoints"/>, else one point per bucket.</summary>
public sealed record AssetTrack(string Tag, DateTimeOffset From, DateTimeOffset To, int BucketSeconds, bool Truncated,
    IReadOnlyList<TrackPoint> Points, IReadOnlyList<HeardBy> HeardBy);

/// <summary>How many frames of the asset a gateway heard in the range.</summary>
public sealed record HeardBy(string Gateway, long Frames);

/// <summary>One chart line: its name, unit and [unix ms, value] points (labels for a categorical line such as the clock source).</summary>
public sealed record MetricSeries(string Name, string Unit, IReadOnlyList<double[]> Points, IReadOnlyList<string>? Labels = null);

/// <summary>
/// The dashboard's history queries over any range (issue 15): bounded so that a month of a busy asset stalls neither
/// the page nor the store. A range with more frames than <see cref="MaxPoints"/> is downsampled in the store with
/// InfluxQL <c>GROUP BY time()</c> into at most that many buckets; every query has a LIMIT. Identifiers are validated
/// by the caller; times are integers here, so nothing from outside reaches InfluxQL as text. Tag keys and fields are
/// qualified (<c>::tag</c>, <c>::field</c>) so a field named like a tag cannot change what a query selects.
/// </summary>
public sealed class TrackQueries(HistoryClient client)
{
    /// <summary>Points per request, for a track and for each chart line.</summary>
    public const int MaxPoints = 5_000;

    /// <summary>The longest range one request may ask for.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public async Task<AssetTrack> AssetAsync(string tag, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var where = $"WHERE \"tag\"::tag = '{tag}' AND {Range(from, to)}";
        var counts = await client.QueryAsync(
            $"SELECT count(\"rssi\"::field) FROM \"tag\" {where}; SELECT count(\"rssi\"::field) FROM \"tag\" {where} GROUP BY \"gateway\"::tag", ct).ConfigureAwait(false);
        var total = counts.FirstOrDefault(s => s.Tags.Count == 0)?.Rows.FirstOrDefault()?[1] ?? 0;
        var heard = counts.Where(s => s.Tags.TryGetValue("gateway", out var g) && g.Length > 0)
            .Select(s => new HeardBy(s.Tags["gateway"], (long)(s.Rows.FirstOrDefault()?[1] ?? 0))).Where(h => h.Frames > 0)
            .OrderByDescending(h => h.Frames).ToList();
        if (total <= MaxPoints)
        {
            var raw = await client.QueryAsync(
                $"SELECT \"lat\"::field, \"lon\"::field, \"battery_mv\"::field, \"rssi\"::field, \"snr\"::field, \"gateway\"::tag FROM \"tag\" {where} ORDER BY time ASC LIMIT {MaxPoints + 1}", ct).ConfigureAwait(false);
            var points = raw.SelectMany(s => s.Rows.Select((r, i) => new TrackPoint((long)(r[0] ?? 0), r[1], r[2], r[3], r[4], r[5], s.Text[i][6]))).ToList();
            var truncated = points.Count > MaxPoints;
            return new AssetTrack(tag, from, to, 0, truncated, truncated ? points[..MaxPoints] : points, heard);
        }
        var bucket = BucketSeconds(from, to);
        var grouped = await client.QueryAsync(
            $"SELECT last(\"lat\"::field), last(\"lon\"::field), mean(\"battery_mv\"::field), mean(\"rssi\"::field), mean(\"snr\"::field) FROM \"tag\" {where} " +
            $"GROUP BY time({bucket}s) fill(none) LIMIT {MaxPoints}", ct).ConfigureAwait(false);
        var buckets = grouped.SelectMany(s => s.Rows.Select(r => new TrackPoint((long)(r[0] ?? 0), r[1], r[2], r[3], r[4], r[5], null))).ToList();
        return new AssetTrack(tag, from, to, bucket, false, buckets, heard);
    }

    /// <summary>A gateway's health over the range, each line downsampled to at most <see cref="MaxPoints"/> buckets.</summary>
    public async Task<(int BucketSeconds, IReadOnlyList<MetricSeries> Series)> GatewayAsync(string gatewayId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // Charts need far fewer points than a track: a bucket per pixel or so of a wide chart.
        var bucket = Math.Max(BucketSeconds(from, to), (int)Math.Ceiling((to - from).TotalSeconds / 1000));
        var where = $"WHERE \"gateway\"::tag = '{gatewayId}' AND {Range(from, to)} GROUP BY time({bucket}s) fill(none) LIMIT {MaxPoints}";
        var results = await client.QueryAsync(
            $"SELECT max(\"temperature\"::field) AS \"enclosure_temperature\", mean(\"humidity\"::field) AS \"enclosure_humidity\" FROM \"env\" {where}; " +
            $"SELECT mean(\"bus_voltage\"::field) AS \"bus_voltage\", mean(\"current\"::field) AS \"current\" FROM \"power\" {where}; " +
            $"SELECT last(\"queue_records\"::field) AS \"backlog\", max(\"offline_s\"::field) AS \"offline_s\" FROM \"gateway\" {where}; " +
            $"SELECT last(\"clock_source\"::field) AS \"clock_source\" FROM \"gateway\" {where}", ct).ConfigureAwait(false);
        var series = new List<MetricSeries>();
        foreach (var s in results)
        {
            for (var c = 1; c < s.Columns.Count; c++)
            {
                var name = s.Columns[c];
                if (name == "clock_source")
                {
                    series.Add(new MetricSeries(name, "", s.Rows.Select((r, i) => (T: r[0], Source: s.Text[i][c]))
                        .Where(p => p.T is not null && p.Source is not null)
                        .Select(p => new[] { p.T!.Value, Array.IndexOf(ClockSources, p.Source) }).ToList(), ClockSources));
                    continue;
                }
                var points = s.Rows.Where(r => r[0] is not null && r[c] is not null).Select(r => new[] { r[0]!.Value, r[c]!.Value }).ToList();
                if (points.Count > 0) series.Add(new MetricSeries(name, Units.GetValueOrDefault(name, ""), points));
            }
        }
        return (bucket, series);
    }

    /// <summary>The clock_source values (ClockSourceNames on the agent), in order of quality, as a chart's levels.</summary>
    private static readonly string[] ClockSources = ["none", "system", "gps", "gps+pps"];

    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["enclosure_temperature"] = "°C", ["enclosure_humidity"] = "%", ["bus_voltage"] = "V", ["current"] = "A",
        ["backlog"] = "records", ["offline_s"] = "s",
    };

    /// <summary>A bucket that fits the range into <see cref="MaxPoints"/> buckets (whole seconds, at least 1).</summary>
    public static int BucketSeconds(DateTimeOffset from, DateTimeOffset to) =>
        Math.Max(1, (int)Math.Ceiling((to - from).TotalSeconds / MaxPoints));

    private static string Range(DateTimeOffset from, DateTimeOffset to) => string.Create(CultureInfo.InvariantCulture,
        $"time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms");
}
