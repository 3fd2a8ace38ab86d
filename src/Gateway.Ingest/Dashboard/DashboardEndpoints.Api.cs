using System.Text;
using System.Text.Json;
using Gateway.Ingest.Alerts;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.History;
using Gateway.Ingest.Monitoring;
using Gateway.Ingest.Topics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Dashboard;

// The JSON API behind the pages (all behind RequireLogin).
public static partial class DashboardEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static void MapApi(RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext c, CentralConfig config) => Results.Json(new { user = c.Items["user"], trailHours = config.Dashboard.TrailLength.TotalHours }, Json));
        api.MapGet("/gateways", (FleetState fleet) => Results.Json(fleet.Gateways(), Json));
        api.MapGet("/assets", (FleetState fleet) => Results.Json(fleet.Assets(), Json));
        api.MapGet("/trails", (FleetState fleet) => Results.Json(fleet.Trails(), Json));
        api.MapGet("/events", (FleetState fleet) => Results.Json(fleet.RecentEvents(), Json));
        api.MapGet("/alerts", (AlertEngine alerts) => Results.Json(alerts.List(), Json));
        api.MapPost("/alerts/ack", AcknowledgeAsync);
        api.MapGet("/map", (CentralConfig config) => Results.Json(new
        {
            tileUrl = config.Dashboard.TileUrl,
            sites = config.Sites.Select(s => new { s.Name, geofence = Pairs(s.Geofence), s.Gateways }),
            assets = config.Assets.Where(a => a.Geofence is not null).Select(a => new { a.Tag, a.Name, geofence = Pairs(a.Geofence) }),
        }, Json));
        api.MapGet("/history/asset/{tag}", HistoryAsync);
        api.MapGet("/history/gateway/{id}", HistoryAsync);
        api.MapGet("/stream", StreamAsync);
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext context, AlertEngine alerts)
    {
        AckRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<AckRequest>(Json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Results.BadRequest(new { error = "send JSON {\"id\": \"<alert id>\"}" });
        }
        if (request?.Id is not { Length: > 0 and <= 200 } id) return Results.BadRequest(new { error = "send JSON {\"id\": \"<alert id>\"}" });
        var user = (string)context.Items["user"]!;
        return alerts.Acknowledge(id, user) is { } alert ? Results.Json(alert, Json) : Results.NotFound(new { error = $"no alert '{id}'" });
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, string? tag, string? id, int? hours)
    {
        if (context.RequestServices.GetService<HistoryClient>() is not { } history)
            return Results.Json(new { error = "no history store is configured (history.url); VictoriaMetrics does not serve InfluxQL" }, statusCode: StatusCodes.Status501NotImplemented);
        var length = TimeSpan.FromHours(Math.Clamp(hours ?? 6, 1, 24 * 31));
        try
        {
            IReadOnlyList<Series> series;
            if (tag is not null)
            {
                if (tag.Length != 8 || !tag.All(char.IsAsciiHexDigitLower)) return Results.BadRequest(new { error = "a tag id is 8 lowercase hex digits" });
                series = await history.AssetAsync(tag, length, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                if (id is null || !FleetTopic.IsGatewayId(id)) return Results.BadRequest(new { error = "not a gateway id" });
                series = await history.GatewayAsync(id, length, context.RequestAborted).ConfigureAwait(false);
            }
            return Results.Json(series.Select(s => new { s.Name, s.Columns, rows = s.Rows }), Json);
        }
        catch (HistoryException ex)
        {
            return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static IResult Metrics(HttpContext context)
    {
        var text = new StringBuilder(4096);
        context.RequestServices.GetService<IngestWorker>()?.Statistics.WriteMetrics(text);
        if (context.RequestServices.GetService<MonitorWorker>() is { } monitor)
        {
            monitor.Fleet.WriteMetrics(text);
            var active = monitor.Alerts.List().Count(a => a.Active);
            text.Append("# HELP fleet_alerts_active alerts raised and not cleared\n# TYPE fleet_alerts_active gauge\nfleet_alerts_active ").Append(active).Append('\n');
            IngestStatistics.Counter(text, "fleet_alert_deliveries_total", "alert raises/clears delivered to store, MQTT and webhook", monitor.Delivery.Delivered);
            IngestStatistics.Counter(text, "fleet_alert_delivery_failures_total", "alert raises/clears not delivered everywhere", monitor.Delivery.Failed);
        }
        return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }

    private static double[][]? Pairs(IReadOnlyList<(double Lat, double Lon)>? points) => points?.Select(p => new[] { p.Lat, p.Lon }).ToArray();

    private sealed record AckRequest(string? Id);
}
