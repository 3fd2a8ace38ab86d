using System.Globalization;
using System.Text.Json;

namespace Gateway.Devices.Sx1276;

/// <summary>
/// A LoRa region plan (firmware-config/lora/*.json): the channel, modulation and sync word the tags and the gateway
/// share, and the band the frequency may move within. Validated when loaded; a bad plan names its key.
/// </summary>
public sealed record LoraRegionPlan(
    string Region,
    string Description,
    long FrequencyHz,
    long MinFrequencyHz,
    long MaxFrequencyHz,
    int SpreadingFactor,
    LoraBandwidth Bandwidth,
    LoraCodingRate CodingRate,
    byte SyncWord,
    int PreambleLength,
    bool PayloadCrc)
{
    /// <summary>The plans built into the assembly (firmware-config/lora/), by region name.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
        [.. typeof(LoraRegionPlan).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("lora/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[5..^5]).Order(StringComparer.Ordinal)];

    /// <summary>Bandwidth in Hz of each RegModemConfig1 Bw code (§6.4).</summary>
    public static readonly IReadOnlyDictionary<int, LoraBandwidth> Bandwidths = new Dictionary<int, LoraBandwidth>
    {
        [7800] = LoraBandwidth.Khz7_8, [10400] = LoraBandwidth.Khz10_4, [15600] = LoraBandwidth.Khz15_6,
        [20800] = LoraBandwidth.Khz20_8, [31250] = LoraBandwidth.Khz31_25, [41700] = LoraBandwidth.Khz41_7,
        [62500] = LoraBandwidth.Khz62_5, [125000] = LoraBandwidth.Khz125, [250000] = LoraBandwidth.Khz250,
        [500000] = LoraBandwidth.Khz500,
    };

    /// <summary><see cref="Bandwidth"/> in Hz (125 000 for the tags' plans), for the symbol-time rule of <see cref="LowDataRateOptimize"/>.</summary>
    public double BandwidthHz => Bandwidths.First(p => p.Value == Bandwidth).Key;

    /// <summary>Loads a built-in plan by name (<c>eu868</c>); throws <see cref="InvalidDataException"/> listing the known ones.</summary>
    public static LoraRegionPlan LoadBuiltIn(string region)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        using var stream = typeof(LoraRegionPlan).Assembly.GetManifestResourceStream($"lora/{region}.json")
            ?? throw new InvalidDataException($"no built-in LoRa region plan '{region}'; known plans: {string.Join(", ", BuiltIn)}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), $"built-in plan {region}");
    }

    /// <summary>Loads a plan file; throws <see cref="InvalidDataException"/> naming the file and key.</summary>
    public static LoraRegionPlan LoadFile(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (IOException ex)
        {
            throw new InvalidDataException($"LoRa region plan {path} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Parses and validates a plan (JSON with comments).</summary>
    public static LoraRegionPlan Parse(string json, string name)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"LoRa region plan {name}: not valid JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            string Str(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
                : throw Bad(name, key, "is required and must be a string");
            long Long(string key) => root.TryGetProperty(key, out var v) && v.TryGetInt64(out var l) ? l
                : throw Bad(name, key, "is required and must be a whole number");
            var min = Long("minFrequencyHz");
            var max = Long("maxFrequencyHz");
            var frequency = Long("frequencyHz");
            // The SX1276's synthesiser covers 137-1020 MHz (§2.5.1, table 6).
            if (min < 137_000_000 || max > 1_020_000_000 || min >= max) throw Bad(name, "minFrequencyHz", "and maxFrequencyHz must form a band inside 137-1020 MHz");
            if (frequency < min || frequency > max) throw Bad(name, "frequencyHz", $"must lie in {min}..{max}; got {frequency}");
            var sf = (int)Long("spreadingFactor");
            ValidateSpreadingFactor(sf, name);
            var bw = (int)Long("bandwidthHz");
            if (!Bandwidths.TryGetValue(bw, out var bandwidth)) throw Bad(name, "bandwidthHz", $"must be one of {string.Join(", ", Bandwidths.Keys)}; got {bw}");
            var cr = Str("codingRate") switch
            {
                "4/5" => LoraCodingRate.Cr4_5, "4/6" => LoraCodingRate.Cr4_6, "4/7" => LoraCodingRate.Cr4_7, "4/8" => LoraCodingRate.Cr4_8,
                var other => throw Bad(name, "codingRate", $"must be 4/5, 4/6, 4/7 or 4/8; got '{other}'"),
            };
            var syncText = Str("syncWord");
            if (!syncText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !byte.TryParse(syncText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var sync))
                throw Bad(name, "syncWord", $"must be a byte in hex such as \"0x12\"; got '{syncText}'");
            if (sync == 0x34) throw Bad(name, "syncWord", "0x34 is the LoRaWAN public sync word; the tags use a private network word such as 0x12");
            var preamble = (int)Long("preambleLength");
            if (preamble is < 6 or > 65535) throw Bad(name, "preambleLength", $"must be 6..65535 symbols; got {preamble}");
            var crc = !root.TryGetProperty("payloadCrc", out var c) || c.ValueKind != JsonValueKind.False;
            return new LoraRegionPlan(Str("region"), Str("description"), frequency, min, max, sf, bandwidth, cr, sync, preamble, crc);
        }
    }

    /// <summary>SF 7-12: SF6 needs implicit header mode (§4.1.1.2), which the tag frames do not use.</summary>
    public static void ValidateSpreadingFactor(int sf, string name)
    {
        if (sf is < 7 or > 12) throw Bad(name, "spreadingFactor", $"must be 7..12; got {sf}");
    }

    /// <summary>
    /// §4.1.1.6: LowDataRateOptimize is mandated when the symbol time 2^SF / BW exceeds 16 ms (SF11 and SF12 at 125 kHz).
    /// </summary>
    public bool LowDataRateOptimize => Math.Pow(2, SpreadingFactor) / BandwidthHz > 0.016;

    /// <summary>The low-frequency port (RFI_LF) serves bands 2 and 3 (below 525 MHz, §2.5.1), which changes the RSSI offset.</summary>
    public bool LowFrequencyPort => FrequencyHz < 525_000_000;

    private static InvalidDataException Bad(string name, string key, string problem) => new($"LoRa region plan {name}: '{key}' {problem}");
}
