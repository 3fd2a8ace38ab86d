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
}
