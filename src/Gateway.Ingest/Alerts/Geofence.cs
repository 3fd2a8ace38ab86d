namespace Gateway.Ingest.Alerts;

/// <summary>
/// Point-in-polygon on latitude/longitude, by ray casting (W. R. Franklin's PNPOLY test). Treating degrees as plane
/// coordinates is exact enough for site-sized polygons (kilometres) away from the poles and the antimeridian, which
/// is where checkpoints and bases are; the polygon closes itself (last corner back to the first).
/// </summary>
public static class Geofence
{
    public static bool Contains(IReadOnlyList<(double Lat, double Lon)> polygon, double lat, double lon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (yi, xi) = polygon[i];
            var (yj, xj) = polygon[j];
            if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    /// <summary>
    /// How far outside the polygon a position is, in metres (0 inside): the shortest distance to an edge, on a local
    /// equirectangular projection around the position (metres per degree from the WGS 84 ellipsoid at mid latitudes;
    /// within a percent over the few hundred metres a geofence margin spans).
    /// </summary>
    public static double MetersOutside(IReadOnlyList<(double Lat, double Lon)> polygon, double lat, double lon)
    {
        if (Contains(polygon, lat, lon)) return 0;
        const double MetersPerDegreeLat = 110_574;
        var metersPerDegreeLon = 111_320 * Math.Cos(lat * Math.PI / 180);
        var best = double.MaxValue;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (ax, ay) = ((polygon[j].Lon - lon) * metersPerDegreeLon, (polygon[j].Lat - lat) * MetersPerDegreeLat);
            var (bx, by) = ((polygon[i].Lon - lon) * metersPerDegreeLon, (polygon[i].Lat - lat) * MetersPerDegreeLat);
            var (dx, dy) = (bx - ax, by - ay);
            var length = (dx * dx) + (dy * dy);
            var t = length == 0 ? 0 : Math.Clamp(-((ax * dx) + (ay * dy)) / length, 0, 1);
            var (px, py) = (ax + (t * dx), ay + (t * dy));
            best = Math.Min(best, Math.Sqrt((px * px) + (py * py)));
        }
        return best;
    }
}
