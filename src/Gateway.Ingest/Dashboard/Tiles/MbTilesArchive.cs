using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gateway.Ingest.Dashboard.Tiles;

/// <summary>
/// An offline map the operator dropped on the server: an MBTiles 1.3 file (an SQLite database; spec
/// github.com/mapbox/mbtiles-spec 1.3) read-only, its raster tiles served to the dashboard's map by the central service
/// itself, because sites often have no internet. Rows are TMS-numbered (§ "tiles": row 0 at the south), the map asks in
/// the XYZ scheme (row 0 at the north), so y is flipped here. Vector tiles (format pbf) need a renderer the dashboard
/// does not have, so such an archive is refused at start with what to use instead.
/// </summary>
public sealed class MbTilesArchive
{
    private readonly string _connectionString;

    private MbTilesArchive(string path, string format, int minZoom, int maxZoom, double[]? bounds, string? attribution)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        (Path, Format, MinZoom, MaxZoom, Bounds, Attribution) = (path, format, minZoom, maxZoom, bounds, attribution);
    }

    public string Path { get; }

    /// <summary>png, jpg or webp (the metadata's <c>format</c>).</summary>
    public string Format { get; }

    public int MinZoom { get; }

    public int MaxZoom { get; }

    /// <summary>West, south, east, north in degrees, when the metadata says.</summary>
    public double[]? Bounds { get; }

    public string? Attribution { get; }

    public string ContentType => Format switch { "jpg" or "jpeg" => "image/jpeg", "webp" => "image/webp", _ => "image/png" };

    /// <summary>Opens and checks the archive; throws <see cref="InvalidDataException"/> saying what is wrong with it.</summary>
    public static MbTilesArchive Open(string path)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        int minZoom, maxZoom;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name, value FROM metadata";
                using var reader = command.ExecuteReader();
                while (reader.Read()) metadata[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
            }
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT min(zoom_level), max(zoom_level) FROM tiles";
                using var reader = command.ExecuteReader();
                reader.Read();
                if (reader.IsDBNull(0)) throw new InvalidDataException($"{path} holds no tiles");
                (minZoom, maxZoom) = (reader.GetInt32(0), reader.GetInt32(1));
            }
        }
        catch (SqliteException ex)
        {
            throw new InvalidDataException($"{path} is not a readable MBTiles file ({ex.Message}); make one with a tile tool (e.g. gdal_translate -of MBTILES) or remove dashboard.tileArchive", ex);
        }
        var format = metadata.GetValueOrDefault("format", "png").ToLowerInvariant();
        if (format is not ("png" or "jpg" or "jpeg" or "webp"))
            throw new InvalidDataException($"{path} holds '{format}' tiles; the dashboard draws raster tiles only (png, jpg, webp): export a raster MBTiles instead");
        var bounds = metadata.TryGetValue("bounds", out var b) ? ParseBounds(b) : null;
        return new MbTilesArchive(path, format, minZoom, maxZoom, bounds, metadata.GetValueOrDefault("attribution"));
    }

    /// <summary>The tile at XYZ coordinates, or null when the archive has none there.</summary>
    public byte[]? Tile(int z, int x, int y)
    {
        if (z < MinZoom || z > MaxZoom || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z) return null;
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tile_data FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $y";
        command.Parameters.AddWithValue("$z", z);
        command.Parameters.AddWithValue("$x", x);
        command.Parameters.AddWithValue("$y", (1 << z) - 1 - y);
        return command.ExecuteScalar() as byte[];
    }

    private static double[]? ParseBounds(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 4) return null;
        var values = new double[4];
        for (var i = 0; i < 4; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])) return null;
        return values;
    }
}
