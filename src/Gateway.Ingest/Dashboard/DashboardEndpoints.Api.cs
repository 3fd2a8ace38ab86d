using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Ingest.Alerts;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Auth;
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
        api.MapGet("/me", (HttpContext c, CentralConfig config) => Results.Json(new
        {
            user = c.Items["user"], role = RoleName(RoleOf(c)), trailHours = config.Dashboard.TrailLength.TotalHours,
        }, Json));
        api.MapGet("/gateways", (HttpContext c, FleetState fleet) => Results.Json(Versioned(c, fleet, fleet.Gateways), Json));
        api.MapGet("/gateways/retired", (FleetState fleet) => Results.Json(fleet.Retired(), Json));
        api.MapPost("/gateways/retire", RetireAsync);
        api.MapPost("/gateways/restore", RestoreAsync);
        api.MapGet("/assets", (HttpContext c, FleetState fleet) => Results.Json(Versioned(c, fleet, fleet.Assets), Json));
        api.MapGet("/registry", (FleetState fleet) => Results.Json(fleet.Registry().Select(a => new { a.Tag, a.Name, a.Kind, a.Site, a.Owner, a.Notes }), Json));
        api.MapPost("/registry", RegisterAsync);
        api.MapGet("/trails", (FleetState fleet) => Results.Json(fleet.Trails(), Json));
        api.MapGet("/events", (FleetState fleet) => Results.Json(fleet.RecentEvents(), Json));
        api.MapGet("/alerts", (AlertEngine alerts) => Results.Json(alerts.List(), Json));
        api.MapPost("/alerts/ack", AcknowledgeAsync);
        MapUsers(api);
        MapMap(api);
        MapHistory(api);
        api.MapGet("/stream", StreamAsync);
    }

    /// <summary>
    /// A fleet list with the fleet version read before it (header X-Fleet-Version): the page opens its live stream
    /// from there (<c>/api/stream?since=</c>), so a change made while the list was on its way is sent, not missed.
    /// </summary>
    private static T Versioned<T>(HttpContext context, FleetState fleet, Func<T> list)
    {
        context.Response.Headers["X-Fleet-Version"] = fleet.Version.ToString(CultureInfo.InvariantCulture);
        return list();
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext context, AlertEngine alerts)
    {
        if (RoleOf(context) < DashboardRole.Operator) return Forbidden("operator");
        if (await ReadAsync<AckRequest>(context).ConfigureAwait(false) is not { Id: { Length: > 0 and <= 200 } id })
            return Results.BadRequest(new { error = "send JSON {\"id\": \"<alert id>\"}" });
        var user = (string)context.Items["user"]!;
        var alert = alerts.Acknowledge(id, user, out var refused);
        if (alert is null) return Results.NotFound(new { error = $"no alert '{id}'" });
        return refused ? Results.Json(new { error = "the alert is cleared: there is nothing left to acknowledge" }, statusCode: StatusCodes.Status409Conflict) : Results.Json(alert, Json);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, FleetState fleet, CentralConfig config)
    {
        if (RoleOf(context) < DashboardRole.Operator) return Forbidden("operator");
        var r = await ReadAsync<RegistryRequest>(context).ConfigureAwait(false);
        if (r?.Tag is not { } tag || !FleetTopic.IsTagId(tag))
            return Results.BadRequest(new { error = "tag must be the tag id, 8 lowercase hex digits" });
        if (r.Name is not { Length: > 0 and <= 100 } name || name.Any(char.IsControl))
            return Results.BadRequest(new { error = "name is required: 1-100 characters, no control characters" });
        if (r.Site is { Length: > 0 } site && !config.Sites.Any(s => s.Name == site))
            return Results.BadRequest(new { error = $"site '{site}' is not one of the sites ({string.Join(", ", config.Sites.Select(s => s.Name))})" });
        if (Field(r.Kind, 64) is not { } kind || Field(r.Owner, 128) is not { } owner || Field(r.Notes, 1000) is not { } notes)
            return Results.BadRequest(new { error = "kind (64), owner (128) and notes (1000 characters) are too long or hold control characters" });
        if (!fleet.Register(new AssetConfig(tag, name, r.Site is { Length: > 0 } ? r.Site : null, null, Empty(kind), Empty(owner), Empty(notes))))
            return Results.Json(new { error = $"the registry holds {FleetState.MaxRegistered} assets, its limit" }, statusCode: StatusCodes.Status507InsufficientStorage);
        SaveRegistry(context, fleet);
        return Results.Json(fleet.AssetByTag(tag), Json);
    }

    private static async Task<IResult> RetireAsync(HttpContext context, FleetState fleet, AlertEngine alerts, LiveHub hub)
    {
        if (RoleOf(context) < DashboardRole.Operator) return Forbidden("operator");
        if (await ReadAsync<AckRequest>(context).ConfigureAwait(false) is not { Id: { } id } || !FleetTopic.IsGatewayId(id))
            return Results.BadRequest(new { error = "send JSON {\"id\": \"<gateway id>\"}" });
        fleet.Retire(id, (string)context.Items["user"]!);
        alerts.Forget(id);
        SaveRegistry(context, fleet);
        hub.Publish("reset");
        return Results.Json(fleet.Retired(), Json);
    }

    private static async Task<IResult> RestoreAsync(HttpContext context, FleetState fleet, LiveHub hub)
    {
        if (RoleOf(context) < DashboardRole.Operator) return Forbidden("operator");
        if (await ReadAsync<AckRequest>(context).ConfigureAwait(false) is not { Id: { } id } || !FleetTopic.IsGatewayId(id))
            return Results.BadRequest(new { error = "send JSON {\"id\": \"<gateway id>\"}" });
        if (!fleet.Restore(id)) return Results.NotFound(new { error = $"gateway '{id}' is not retired" });
        SaveRegistry(context, fleet);
        return Results.Json(fleet.Retired(), Json);
    }

    private static void SaveRegistry(HttpContext context, FleetState fleet)
    {
        if (context.RequestServices.GetService<MonitorWorker>() is { } monitor) fleet.SaveRegistry(monitor.RegistryFile);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context) where T : class
    {
        try
        {
            return await context.Request.ReadFromJsonAsync<T>(Json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The text, "" for none, or null when it is too long or holds control characters.</summary>
    private static string? Field(string? text, int max) => text is null ? "" : text.Length <= max && !text.Any(c => char.IsControl(c) && c != '\n') ? text.Trim() : null;

    private static string? Empty(string text) => text.Length == 0 ? null : text;

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
        if (context.RequestServices.GetService<SessionStore>() is { } sessions)
        {
            IngestStatistics.Counter(text, "dashboard_login_failures_total", "dashboard logins with a wrong name or password", sessions.Throttle.Failures);
            IngestStatistics.Counter(text, "dashboard_logins_delayed_total", "dashboard logins refused unchecked: too many failures from the address or for the name", sessions.Throttle.Delayed);
            IngestStatistics.Counter(text, "dashboard_logins_busy_total", "dashboard logins refused unchecked: the password check queue was full", sessions.Checks.Busy);
            var hub = context.RequestServices.GetRequiredService<LiveHub>();
            text.Append("# HELP dashboard_streams live-update streams open\n# TYPE dashboard_streams gauge\ndashboard_streams ").Append(hub.Count).Append('\n');
            IngestStatistics.Counter(text, "dashboard_streams_refused_total", "live-update streams refused: too many for the session or the server", hub.Refused);
        }
        return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }


    private sealed record AckRequest(string? Id);

    private sealed record RegistryRequest(string? Tag, string? Name, string? Kind, string? Site, string? Owner, string? Notes);
}
