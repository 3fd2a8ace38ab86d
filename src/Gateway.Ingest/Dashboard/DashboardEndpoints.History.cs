using System.Globalization;
using Gateway.Ingest.History;
using Gateway.Ingest.Monitoring;
using Gateway.Ingest.Topics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Dashboard;

// History over any range: ?from=&to= (ISO 8601, UTC or with an offset) or ?hours=N back from now; at most 31 days.
// An asset's track also comes as a file: &format=csv|geojson|gpx.
public static partial class DashboardEndpoints
{
    private static void MapHistory(RouteGroupBuilder api)
    {
        api.MapGet("/history/asset/{tag}", AssetHistoryAsync);
        api.MapGet("/history/gateway/{id}", GatewayHistoryAsync);
    }

    private static async Task<IResult> AssetHistoryAsync(HttpContext context, FleetState fleet, string tag, string? from, string? to, double? hours, string? format)
    {
        if (!FleetTopic.IsTagId(tag)) return Results.BadRequest(new { error = "a tag id is 8 lowercase hex digits" });
        if (Queries(context) is not { } queries) return NoHistory();
        if (ParseRange(context, from, to, hours) is not ({ } start, { } end)) return BadRange();
        try
        {
            var track = await queries.AssetAsync(tag, start, end, context.RequestAborted).ConfigureAwait(false);
            var name = fleet.AssetByTag(tag)?.Name ?? tag;
            if (format is null or "json") return Results.Json(track, Json);
            if (TrackExport.Write(format, track, name) is not var (bytes, type, extension))
                return Results.BadRequest(new { error = "format is one of json, csv, geojson, gpx" });
            var file = string.Create(CultureInfo.InvariantCulture, $"{tag}-{start.UtcDateTime:yyyyMMdd'T'HHmm}-{end.UtcDateTime:yyyyMMdd'T'HHmm}.{extension}");
            return Results.File(bytes, type, file);
        }
        catch (HistoryException ex)
        {
            return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<IResult> GatewayHistoryAsync(HttpContext context, string id, string? from, string? to, double? hours)
    {
        if (!FleetTopic.IsGatewayId(id)) return Results.BadRequest(new { error = "not a gateway id" });
        if (Queries(context) is not { } queries) return NoHistory();
        if (ParseRange(context, from, to, hours) is not ({ } start, { } end)) return BadRange();
        try
        {
            var (bucket, series) = await queries.GatewayAsync(id, start, end, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { id, from = start, to = end, bucketSeconds = bucket, series }, Json);
        }
        catch (HistoryException ex)
        {
            return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static TrackQueries? Queries(HttpContext context) =>
        context.RequestServices.GetService<HistoryClient>() is { } client ? new TrackQueries(client) : null;

    private static (DateTimeOffset?, DateTimeOffset?) ParseRange(HttpContext context, string? from, string? to, double? hours)
    {
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (from is null && to is null)
        {
            var length = TimeSpan.FromHours(Math.Clamp(hours ?? 6, 0.01, TrackQueries.MaxRange.TotalHours));
            return (now - length, now);
        }
        if (!DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)) return (null, null);
        var end = now;
        if (to is not null && !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end)) return (null, null);
        return end <= start || end - start > TrackQueries.MaxRange ? (null, null) : (start, end);
    }

    private static IResult BadRange() => Results.BadRequest(new
    {
        error = $"give ?from=ISO-8601&to=ISO-8601 (from before to, at most {TrackQueries.MaxRange.TotalDays:0} days apart) or ?hours=N",
    });

    private static IResult NoHistory() => Results.Json(new { error = "no history store is configured (history.url); VictoriaMetrics does not serve InfluxQL" },
        statusCode: StatusCodes.Status501NotImplemented);
}
