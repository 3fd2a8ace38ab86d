using System.Globalization;
using System.Text.Json;

namespace Gateway.Agent.Profiles;

/// <summary>
/// A JSON object being read during profile validation, with its path, so that every problem is reported as
/// "'sources[1].address' must be ..." instead of a serializer's stack trace. Unknown keys are errors: a misspelt key
/// silently ignored is a gateway configured differently from what the engineer believes.
/// </summary>
internal sealed class JsonSection
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = [];

    public JsonSection(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw new ProfileException(file, path.Length == 0 ? "(root)" : path, $"must be a JSON object; got {Describe(element)}");
        _element = element;
    }

    public string File { get; }
    public string Path { get; }

    public string Key(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public ProfileException Error(string name, string problem) => new(File, Key(name), problem);

    public bool Has(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string RequiredString(string name)
    {
        var value = OptionalString(name) ?? throw Error(name, "is required");
        return value;
    }

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw Error(name, $"must be a string; got {Describe(v)}");
        var s = v.GetString()!;
        if (s.Length == 0) throw Error(name, "must not be empty");
        return s;
    }

    public double Number(string name, double? defaultValue, double min, double max)
    {
        if (!TryGet(name, out var v))
            return defaultValue ?? throw Error(name, "is required");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw Error(name, $"must be a number; got {Describe(v)}");
        if (d < min || d > max)
            throw Error(name, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}; got {d.ToString(CultureInfo.InvariantCulture)}");
        return d;
    }

    public int Integer(string name, int? defaultValue, int min, int max)
    {
        if (!TryGet(name, out var v))
            return defaultValue ?? throw Error(name, "is required");
        // Hex strings such as "0x76" are accepted because datasheets and i2cdetect write addresses that way.
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return InRange(name, hex, min, max);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw Error(name, $"must be a whole number; got {Describe(v)}");
        return InRange(name, i, min, max);
    }

    /// <summary>An optional array of non-empty strings (empty when absent).</summary>
    public IReadOnlyList<string> StringArray(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array of strings; got {Describe(v)}");
        var result = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text)
                throw Error($"{name}[{result.Count}]", $"must be a non-empty string; got {Describe(item)}");
            result.Add(text);
        }
        return result;
    }

    public bool Boolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var v)) return defaultValue;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"must be true or false; got {Describe(v)}"),
        };
    }

    public TEnum Enum<TEnum>(string name, TEnum defaultValue) where TEnum : struct, Enum
    {
        var s = OptionalString(name);
        if (s is null) return defaultValue;
        if (System.Enum.TryParse<TEnum>(s, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(s[0]))
            return value;
        throw Error(name, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}; got '{s}'");
    }

    public JsonSection Section(string name, bool required)
    {
        if (TryGet(name, out var v)) return new JsonSection(File, Key(name), v);
        if (required) throw Error(name, "is required");
        return new JsonSection(File, Key(name), JsonDocument.Parse("{}").RootElement);
    }

    public IEnumerable<JsonSection> Array(string name)
    {
        if (!TryGet(name, out var v)) throw Error(name, "is required");
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array; got {Describe(v)}");
        var i = 0;
        foreach (var item in v.EnumerateArray())
            yield return new JsonSection(File, $"{Key(name)}[{i++}]", item);
    }

    /// <summary>Fails on the first key that nothing read.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var p in _element.EnumerateObject())
            if (!_read.Contains(p.Name))
                throw Error(p.Name, "is not a known setting here (misspelt?)");
    }

    private bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private int InRange(string name, int value, int min, int max) =>
        value < min || value > max ? throw Error(name, $"must be between {min} and {max}; got {value}") : value;

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
