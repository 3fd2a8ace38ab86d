using System.Buffers;
using System.IO.Compression;
using Gateway.Core.Buffers;
using Gateway.Telemetry.LineProtocol;

namespace Gateway.Ingest.Payloads;

/// <summary>
/// Turns one telemetry payload into the lines the store gets: gunzips it if it starts with the gzip magic (RFC 1952
/// §2.3.1: 1f 8b), parses it as line protocol, replaces any <c>gateway</c> tag with the one from the topic, and
/// rejects points without a timestamp (a store-assigned time would make a re-sent batch a second set of points,
/// breaking at-least-once delivery's harmless duplicates, DESIGN §2), points stamped outside the plausible window
/// (<see cref="PlausibleTime"/>) and points with a field named like a tag we own (<see cref="OwnedTags"/>).
/// </summary>
public static class PayloadDecoder
{
    /// <summary>Upper bound on a decompressed payload, so a small gzip bomb cannot exhaust the ingest's memory.</summary>
    public const int MaxDecompressedBytes = 16 * 1024 * 1024;

    /// <summary>Room asked of the buffer per read of the inflater: a deflate block's worth, so reads are few and growth doubles.</summary>
    private const int InflateChunkBytes = 16 * 1024;

    /// <summary>
    /// Decodes <paramref name="payload"/> and appends its stampable points as lines to <paramref name="output"/>.
    /// Lines go through <see cref="LineRewriter"/> (no allocation) and, when it declines one, through the full parser.
    /// </summary>
    /// <param name="tags">Which asset tag ids the gateway may report (points of others are refused and counted), or null for all.</param>
    public static DecodedPayload Decode(ReadOnlyMemory<byte> payload, string gatewayId, PlausibleTime window, IBufferWriter<byte> output, TagAdmission? tags = null)
    {
        PooledBufferWriter? inflated = null;
        try
        {
            var text = Text(payload, ref inflated);
            if (!System.Text.Unicode.Utf8.IsValid(text) || gatewayId.Length > 64) return Slow(text, gatewayId, window, output, tags);
            Span<byte> gateway = stackalloc byte[64];
            gateway = gateway[..System.Text.Encoding.UTF8.GetBytes(gatewayId, gateway)];
            int points = 0, malformed = 0, missing = 0, outside = 0, shadowing = 0, refusedTags = 0;
            string? firstError = null;
            while (!text.IsEmpty)
            {
                var end = text.IndexOf((byte)'\n');
                var line = end < 0 ? text : text[..end];
                text = end < 0 ? default : text[(end + 1)..];
                // Asset tag points go through the parser when their ids are checked: the fast path does not read tag values.
                if ((tags is null || !IsAssetTagLine(line)) && LineRewriter.TryRewrite(line, gateway, window, output))
                {
                    points++;
                    continue;
                }
                var one = Slow(line, gatewayId, window, output, tags);
                points += one.Points;
                malformed += one.MalformedLines;
                missing += one.MissingTimestamp;
                outside += one.OutsideTimeWindow;
                shadowing += one.ShadowingFields;
                refusedTags += one.RefusedTags;
                firstError ??= one.FirstError;
            }
            return new DecodedPayload(points, malformed, missing, firstError) { OutsideTimeWindow = outside, ShadowingFields = shadowing, RefusedTags = refusedTags };
        }
        finally
        {
            inflated?.Dispose();
        }
    }

    /// <summary>
    /// Decodes <paramref name="payload"/> into <paramref name="points"/>: gateway tag from the topic, tags sorted,
    /// points without a timestamp, outside <paramref name="window"/> or with a field named like an owned tag left out
    /// (and counted). Throws <see cref="InvalidDataException"/> when the payload as a whole cannot be decoded (bad gzip,
    /// over the size bound).
    /// </summary>
    public static DecodedPayload DecodePoints(ReadOnlyMemory<byte> payload, string gatewayId, PlausibleTime window, List<LinePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        PooledBufferWriter? inflated = null;
        try
        {
            return Parse(Text(payload, ref inflated), gatewayId, window, null, points);
        }
        finally
        {
            inflated?.Dispose();
        }
    }

    /// <summary>The payload's text: itself, or its gunzipped content in <paramref name="inflated"/> (pooled; the caller disposes it).</summary>
    private static ReadOnlySpan<byte> Text(ReadOnlyMemory<byte> payload, ref PooledBufferWriter? inflated)
    {
        if (!IsGzip(payload.Span)) return payload.Span;
        inflated = Inflate(payload);
        var text = inflated.WrittenSpan;
        CheckTrailer(payload.Span, text);
        return text;
    }

    private static bool IsAssetTagLine(ReadOnlySpan<byte> line) => line.StartsWith("tag,"u8) || line.StartsWith("tag "u8);

    private static DecodedPayload Slow(ReadOnlySpan<byte> text, string gatewayId, PlausibleTime window, IBufferWriter<byte> output, TagAdmission? tags)
    {
        var points = new List<LinePoint>();
        var result = Parse(text, gatewayId, window, tags, points);
        var scratch = new ArrayBufferWriter<byte>(256);
        var unwritable = 0;
        foreach (var point in points)
        {
            // The parser accepts a few things the writer refuses (a CR inside a string field): such a point is
            // malformed for our purposes. Written to scratch first so a refused point leaves no half line behind.
            scratch.ResetWrittenCount();
            try
            {
                point.WriteTo(new LineProtocolWriter(scratch));
            }
            catch (ArgumentException)
            {
                unwritable++;
                continue;
            }
            scratch.WrittenSpan.CopyTo(output.GetSpan(scratch.WrittenCount));
            output.Advance(scratch.WrittenCount);
        }
        return unwritable == 0 ? result : result with { Points = result.Points - unwritable, MalformedLines = result.MalformedLines + unwritable, FirstError = result.FirstError ?? "a string field contains a line break" };
    }

    private static DecodedPayload Parse(ReadOnlySpan<byte> text, string gatewayId, PlausibleTime window, TagAdmission? tags, List<LinePoint> points)
    {
        var parsed = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(text, parsed, errors);
        int missingTimestamp = 0, outside = 0, shadowing = 0, refusedTags = 0, kept = 0;
        foreach (var point in parsed)
        {
            if (point.Timestamp is not { } timestamp)
            {
                missingTimestamp++;
                continue;
            }
            if (!window.Contains(timestamp))
            {
                outside++;
                continue;
            }
            if (point.Fields.Exists(static f => OwnedTags.Contains(f.Key)))
            {
                shadowing++;
                continue;
            }
            if (tags is not null && point.Measurement == "tag" && point.Tags.Find(static t => t.Key == "tag").Value is { } id && !tags.Admit(gatewayId, id))
            {
                refusedTags++;
                continue;
            }
            point.Tags.RemoveAll(t => t.Key == "gateway");
            point.Tags.Add(new("gateway", gatewayId));
            // Sorted tags are what InfluxDB recommends and make the same point encode to the same bytes.
            point.Tags.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            points.Add(point);
            kept++;
        }
        return new DecodedPayload(kept, errors.Count, missingTimestamp, errors.Count > 0 ? errors[0].Message : null)
        {
            OutsideTimeWindow = outside,
            ShadowingFields = shadowing,
            RefusedTags = refusedTags,
        };
    }

    public static bool IsGzip(ReadOnlySpan<byte> payload) => payload.Length >= 2 && payload[0] == 0x1f && payload[1] == 0x8b;

    /// <summary>
    /// A gzip member ends with the CRC-32 and the length (mod 2^32) of the original data (RFC 1952 §2.3.1). GZipStream
    /// ends quietly on a truncated stream, so without this check a cut-off payload would lose its tail uncounted.
    /// Only single-member payloads are accepted, which is what the agent sends.
    /// </summary>
    private static void CheckTrailer(ReadOnlySpan<byte> gzip, ReadOnlySpan<byte> inflated)
    {
        const int HeaderAndTrailer = 18;
        if (gzip.Length < HeaderAndTrailer)
            throw new InvalidDataException($"gzip payload of {gzip.Length} bytes is truncated (a member is at least {HeaderAndTrailer})");
        var trailer = gzip[^8..];
        var crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (size != (uint)inflated.Length || crc != Crc32.Compute(inflated))
            throw new InvalidDataException("gzip payload is truncated or corrupt: its CRC-32/size trailer does not match the data");
    }

    /// <summary>Decompresses into a pooled buffer (the caller disposes it); throws <see cref="InvalidDataException"/> past the bound.</summary>
    private static PooledBufferWriter Inflate(ReadOnlyMemory<byte> payload)
    {
        var inflated = new PooledBufferWriter(Math.Max(4096, payload.Length * 4));
        try
        {
            using var source = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(payload.ToArray(), writable: false);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            while (true)
            {
                var n = gzip.Read(inflated.GetSpan(InflateChunkBytes));
                if (n == 0) return inflated;
                inflated.Advance(n);
                if (inflated.WrittenCount > MaxDecompressedBytes)
                    throw new InvalidDataException($"gzip payload inflates beyond {MaxDecompressedBytes} bytes");
            }
        }
        catch
        {
            inflated.Dispose();
            throw;
        }
    }
}

/// <summary>What one payload yielded: points written to the output, lines rejected, and the first error for the log.</summary>
public readonly record struct DecodedPayload(int Points, int MalformedLines, int MissingTimestamp, string? FirstError)
{
    /// <summary>Points dropped because their timestamp is outside the plausible window.</summary>
    public int OutsideTimeWindow { get; init; }

    /// <summary>Points refused because a field is named like a tag we own (gateway, sensor, tag).</summary>
    public int ShadowingFields { get; init; }

    /// <summary>Asset tag points refused because their id is over the gateway's quota (<see cref="TagAdmission"/>).</summary>
    public int RefusedTags { get; init; }
}
