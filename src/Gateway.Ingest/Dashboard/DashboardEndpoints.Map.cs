using Gateway.Ingest.Configuration;
using Gateway.Ingest.Dashboard.Tiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Dashboard;

// The map's configuration and its offline tiles. The base layer, in order of preference: the MBTiles archive the
// operator dropped on the server (dashboard.tileArchive, served below, so a site without internet still has a map), a
// tile server (dashboard.tileUrl), or the page's coordinate grid.
public static partial class DashboardEndpoints
{
    private const string TilePath = "/api/tiles/{z}/{x}/{y}";

    private static void MapMap(RouteGroupBuilder api)
    {
        api.MapGet("/map", (HttpContext context, CentralConfig config) => Results.Json(new
        {
            tiles = Tiles(context, config),
            sites = config.Sites.Select(s => new { s.Name, geofence = Pairs(s.Geofence), s.Gateways }),
            assets = config.Assets.Where(a => a.Geofence is not null).Select(a => new { a.Tag, a.Name, geofence = Pairs(a.Geofence) }),
        }, Json));
        api.MapGet("/tiles/{z:int}/{x:int}/{y:int}", (HttpContext context, int z, int x, int y) =>
        {
            if (context.RequestServices.GetService<MbTilesArchive>() is not { } archive) return Results.NotFound();
            if (archive.Tile(z, x, y) is not { } bytes) return Results.NotFound();
            // Tiles do not change while the service runs; the browser may keep them for the session.
            context.Response.Headers.CacheControl = "private, max-age=3600";
            return Results.Bytes(bytes, archive.ContentType);
        });
    }

    private static object Tiles(HttpContext context, CentralConfig config)
    {
        if (context.RequestServices.GetService<MbTilesArchive>() is { } archive)
            return new { kind = "archive", url = TilePath, minZoom = archive.MinZoom, maxZoom = archive.MaxZoom, bounds = archive.Bounds, attribution = archive.Attribution };
        if (config.Dashboard.TileUrl is { } url) return new { kind = "url", url, minZoom = 0, maxZoom = 19 };
        return new { kind = "grid" };
    }

    private static double[][]? Pairs(IReadOnlyList<(double Lat, double Lon)>? points) => points?.Select(p => new[] { p.Lat, p.Lon }).ToArray();
}
