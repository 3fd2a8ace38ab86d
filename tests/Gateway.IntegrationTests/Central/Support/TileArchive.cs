using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Data.Sqlite;

namespace Gateway.IntegrationTests.Central.Support;

/// <summary>
/// Writes a small raster MBTiles 1.3 archive for tests: every tile over a box at a few zoom levels is the same
/// solid-colour 256x256 PNG, so a screenshot shows at a glance where the map drew from the archive.
/// </summary>
public static class TileArchive
{
    public static int Write(string path, double south, double west, double north, double east, int minZoom, int maxZoom, (byte R, byte G, byte B) colour)
    {
        var png = SolidPng(256, colour);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);" +
                "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);";
            create.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        foreach (var (name, value) in new[] { ("name", "test"), ("format", "png"), ("minzoom", $"{minZoom}"), ("maxzoom", $"{maxZoom}"),
                     ("bounds", FormattableString.Invariant($"{west},{south},{east},{north}")), ("attribution", "test archive") })
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO metadata VALUES ($n, $v)";
            insert.Parameters.AddWithValue("$n", name);
            insert.Parameters.AddWithValue("$v", value);
            insert.ExecuteNonQuery();
        }
        var count = 0;
        for (var z = minZoom; z <= maxZoom; z++)
        {
            var (x0, y0) = Tile(north, west, z);
            var (x1, y1) = Tile(south, east, z);
            for (var x = x0; x <= x1; x++)
            {
                for (var y = y0; y <= y1; y++)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO tiles VALUES ($z, $x, $y, $d)";
                    insert.Parameters.AddWithValue("$z", z);
                    insert.Parameters.AddWithValue("$x", x);
                    insert.Parameters.AddWithValue("$y", (1 << z) - 1 - y); // TMS rows
                    insert.Parameters.AddWithValue("$d", png);
                    insert.ExecuteNonQuery();
                    count++;
                }
            }
        }
        tx.Commit();
        return count;
    }

    /// <summary>The XYZ tile holding a position (the slippy-map formula, Web Mercator).</summary>
    public static (int X, int Y) Tile(double lat, double lon, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var r = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(r) + (1 / Math.Cos(r))) / Math.PI)) / 2 * n);
        return (x, y);
    }

    /// <summary>A PNG (RFC 2083) of one colour: IHDR, one zlib IDAT of filter-0 rows, IEND.</summary>
    public static byte[] SolidPng(int size, (byte R, byte G, byte B) c)
    {
        var raw = new byte[size * ((size * 3) + 1)];
        for (var row = 0; row < size; row++)
            for (var i = 0; i < size; i++) (raw[(row * ((size * 3) + 1)) + 1 + (i * 3)], raw[(row * ((size * 3) + 1)) + 2 + (i * 3)], raw[(row * ((size * 3) + 1)) + 3 + (i * 3)]) = (c.R, c.G, c.B);
        using var zipped = new MemoryStream();
        using (var z = new ZLibStream(zipped, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", zipped.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(len, Gateway.Ingest.Payloads.Crc32.Compute(typed));
        s.Write(len);
    }
}
