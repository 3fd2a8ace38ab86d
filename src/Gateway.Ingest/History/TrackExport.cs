using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Gateway.Ingest.History;

/// <summary>
/// An asset's track as a file for other tools: CSV (RFC 4180, one row per point, UTC ISO 8601 times), GeoJSON
/// (RFC 7946: a LineString of the positions plus one Point feature per position with its time and readings) and GPX 1.1
/// (one track segment, the topografix.com/GPX/1/1 schema). Points without a position are kept in the CSV only.
/// </summary>
public static class TrackExport
{
    public static (byte[] Bytes, string ContentType, string Extension)? Write(string format, AssetTrack track, string name) => format switch
    {
        "csv" => (Csv(track), "text/csv; charset=utf-8", "csv"),
        "geojson" => (GeoJson(track, name), "application/geo+json", "geojson"),
        "gpx" => (Gpx(track, name), "application/gpx+xml", "gpx"),
        _ => null,
    };

    public static byte[] Csv(AssetTrack track)
    {
        var text = new StringBuilder(64 + (track.Points.Count * 80));
        text.Append("time_utc,lat,lon,battery_mv,rssi_dbm,snr_db,gateway\r\n");
        foreach (var p in track.Points)
        {
            text.Append(Iso(p.T)).Append(',').Append(Num(p.Lat, "0.000000")).Append(',').Append(Num(p.Lon, "0.000000")).Append(',')
                .Append(Num(p.BatteryMv, "0")).Append(',').Append(Num(p.Rssi, "0.0")).Append(',').Append(Num(p.Snr, "0.0")).Append(',')
                .Append(CsvField(p.Gateway)).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] GeoJson(AssetTrack track, string name)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var positions = Positions(track);
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteStartObject("properties");
            w.WriteString("tag", track.Tag);
            w.WriteString("name", name);
            w.WriteString("from", track.From.UtcDateTime);
            w.WriteString("to", track.To.UtcDateTime);
            w.WriteEndObject();
            w.WriteStartObject("geometry");
            w.WriteString("type", "LineString");
            w.WriteStartArray("coordinates");
            // RFC 7946 §3.1.1: longitude first.
            foreach (var p in positions) { w.WriteStartArray(); w.WriteNumberValue(p.Lon!.Value); w.WriteNumberValue(p.Lat!.Value); w.WriteEndArray(); }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            foreach (var p in positions)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteStartObject("properties");
                w.WriteString("time", Iso(p.T));
                if (p.BatteryMv is { } b) w.WriteNumber("battery_mv", Math.Round(b));
                if (p.Rssi is { } r) w.WriteNumber("rssi_dbm", Math.Round(r, 1));
                if (p.Gateway is { } g) w.WriteString("gateway", g);
                w.WriteEndObject();
                w.WriteStartObject("geometry");
                w.WriteString("type", "Point");
                w.WriteStartArray("coordinates");
                w.WriteNumberValue(p.Lon!.Value);
                w.WriteNumberValue(p.Lat!.Value);
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] Gpx(AssetTrack track, string name)
    {
        const string Ns = "http://www.topografix.com/GPX/1/1";
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("gpx", Ns);
            w.WriteAttributeString("version", "1.1");
            w.WriteAttributeString("creator", "gateway-ingest");
            w.WriteStartElement("trk", Ns);
            w.WriteElementString("name", Ns, $"{name} ({track.Tag})");
            w.WriteStartElement("trkseg", Ns);
            foreach (var p in Positions(track))
            {
                w.WriteStartElement("trkpt", Ns);
                w.WriteAttributeString("lat", p.Lat!.Value.ToString("0.0000000", CultureInfo.InvariantCulture));
                w.WriteAttributeString("lon", p.Lon!.Value.ToString("0.0000000", CultureInfo.InvariantCulture));
                w.WriteElementString("time", Ns, Iso(p.T));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static List<TrackPoint> Positions(AssetTrack track) => track.Points.Where(p => p.Lat is not null && p.Lon is not null).ToList();

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Num(double? v, string format) => v is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "";

    // RFC 4180 §2.6: a field with a comma, quote or line break is quoted, its quotes doubled. Gateway ids have none
    // (validated characters), but the export must stay valid whatever a store returns.
    private static string CsvField(string? s) => s is null ? "" : s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
