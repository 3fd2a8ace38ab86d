using System.Globalization;
using System.Text.Json;

namespace Gateway.Configuration;

/// <summary>
/// A JSON object being read during validation, with its path, so that every problem reads
/// "'sources[1].address' must be ..." instead of a serializer's stack trace. Unknown keys are errors: a misspelt key
/// silently ignored is a gateway or an alert rule configured differently from what its engineer believes.
/// The agent's profile and the central services' configuration are both read with it; <typeparamref name="TError"/>
/// is the exception each of them reports with.
/// </summary>
public sealed class JsonSection<TError> where TError : Exception, IConfigurationError<TError>
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    private readonly JsonElement _element;
    private readonly HashSet<string> _read = [];

    /// <summary>Wraps <paramref name="element"/>, which must be a JSON object (anything else is a
    /// <typeparamref name="TError"/> naming <paramref name="path"/>).</summary>
    /// <param name="file">The file's name as messages show it.</param>
    /// <param name="path">The object's JSON path, such as <c>sources[1]</c>; empty for the root.</param>
    /// <param name="element">The parsed object.</param>
    public JsonSection(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw TError.Create(file, path.Length == 0 ? "(root)" : path, $"must be a JSON object; got {Describe(element)}");
        _element = element;
    }

    /// <summary>The configuration file's name, for messages.</summary>
    public string File { get; }

    /// <summary>This object's JSON path; empty for the document's root.</summary>
    public string Path { get; }

    /// <summary>The full path of a key of this object, <c>sources[1].address</c>, as messages name it.</summary>
    public string Key(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>An error about key <paramref name="name"/> of this object, for checks this class cannot make (one
    /// key against another, a device's allowed values); the caller throws it.</summary>
    public TError Error(string name, string problem) => TError.Create(File, Key(name), problem);

    /// <summary>Whether the key is present and not null. It does not count as reading the key.</summary>
    public bool Has(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A non-empty string that must be present.</summary>
    public string RequiredString(string name) => OptionalString(name) ?? throw Error(name, "is required");

    /// <summary>A string, or null when the key is absent or null; an empty string is an error, so that "" never
    /// silently means "the default".</summary>
    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw Error(name, $"must be a string; got {Describe(v)}");
        var s = v.GetString()!;
        return s.Length == 0 ? throw Error(name, "must not be empty (leave the key out for the default)") : s;
    }

    /// <summary>A non-empty string, or <paramref name="defaultValue"/> when absent.</summary>
    public string String(string name, string defaultValue) => OptionalString(name) ?? defaultValue;

    /// <summary>JSON <c>true</c> or <c>false</c> (not "yes", not 1), or <paramref name="defaultValue"/> when absent.</summary>
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

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>]; when absent,
    /// <paramref name="defaultValue"/>, or an error if that is null (required).</summary>
    public double Number(string name, double? defaultValue, double min, double max)
    {
        if (!TryGet(name, out var v)) return defaultValue ?? throw Error(name, "is required");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw Error(name, $"must be a number; got {Describe(v)}");
        if (d < min || d > max)
            throw Error(name, $"must be between {Format(min)} and {Format(max)}; got {Format(d)}");
        return d;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>], also written as a hex
    /// string ("0x76") as datasheets write addresses; when absent, <paramref name="defaultValue"/> or required.</summary>
    public int Integer(string name, int? defaultValue, int min, int max)
    {
        if (!TryGet(name, out var v)) return defaultValue ?? throw Error(name, "is required");
        // Hex strings such as "0x76" are accepted because datasheets and i2cdetect write addresses that way.
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return InRange(name, hex, min, max);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw Error(name, $"must be a whole number; got {Describe(v)}");
        return InRange(name, i, min, max);
    }

    /// <summary>A duration written in seconds (fractions allowed), bounded like <see cref="Number"/>.</summary>
    public TimeSpan Seconds(string name, double defaultSeconds, double min, double max) =>
        TimeSpan.FromSeconds(Number(name, defaultSeconds, min, max));

    /// <summary>One of <typeparamref name="TEnum"/>'s names, case-insensitive (never its number), or
    /// <paramref name="defaultValue"/> when absent; the error lists the names in lower case.</summary>
    public TEnum Enum<TEnum>(string name, TEnum defaultValue) where TEnum : struct, Enum
    {
        var s = OptionalString(name);
        if (s is null) return defaultValue;
        if (System.Enum.TryParse<TEnum>(s, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(s[0]))
            return value;
        throw Error(name, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}; got '{s}'");
    }

    /// <summary>An absolute http or https URL (a store's address), or null when absent.</summary>
    public Uri? OptionalHttpUrl(string name)
    {
        var s = OptionalString(name);
        if (s is null) return null;
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw Error(name, $"must be an http(s) URL such as http://127.0.0.1:8086; got '{s}'");
        return uri;
    }

    /// <summary>A nested object; an absent optional one reads as empty, so its keys take their defaults.</summary>
    public JsonSection<TError> Section(string name, bool required = false)
    {
        if (TryGet(name, out var v)) return new JsonSection<TError>(File, Key(name), v);
        if (required) throw Error(name, "is required");
        return new JsonSection<TError>(File, Key(name), EmptyObject);
    }

    /// <summary>A required array of objects.</summary>
    public IEnumerable<JsonSection<TError>> Array(string name) =>
        Has(name) ? Objects(name) : throw Error(name, "is required");

    /// <summary>An optional array of objects (none when absent).</summary>
    public IEnumerable<JsonSection<TError>> Objects(string name)
    {
        var i = 0;
        foreach (var item in ArrayItems(name)) yield return new JsonSection<TError>(File, $"{Key(name)}[{i++}]", item);
    }

    /// <summary>An optional array of non-empty strings (empty when absent).</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        var list = new List<string>();
        foreach (var item in ArrayItems(name))
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } s)
                throw TError.Create(File, $"{Key(name)}[{list.Count}]", $"must be a non-empty string; got {Describe(item)}");
            list.Add(s);
        }
        return list;
    }

    /// <summary>An optional array of <c>[latitude, longitude]</c> pairs, e.g. a geofence polygon; null when absent.</summary>
    public IReadOnlyList<(double Lat, double Lon)>? Coordinates(string name)
    {
        if (!Has(name)) return null;
        var list = new List<(double, double)>();
        foreach (var item in ArrayItems(name))
        {
            var key = $"{Key(name)}[{list.Count}]";
            // TryGetDouble throws on a non-number element: the kinds are checked first.
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2
                || item[0].ValueKind != JsonValueKind.Number || item[1].ValueKind != JsonValueKind.Number
                || !item[0].TryGetDouble(out var lat) || !item[1].TryGetDouble(out var lon) || !double.IsFinite(lat) || !double.IsFinite(lon))
                throw TError.Create(File, key, $"must be a [latitude, longitude] pair of numbers; got {Describe(item)}");
            if (lat is < -90 or > 90 || lon is < -180 or > 180)
                throw TError.Create(File, key, $"is not a position: latitude must be -90..90 and longitude -180..180 (order is [lat, lon]); got [{Format(lat)}, {Format(lon)}]");
            list.Add((lat, lon));
        }
        return list;
    }

    /// <summary>Fails on the first key that nothing read.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var p in _element.EnumerateObject())
            if (!_read.Contains(p.Name))
                throw Error(p.Name, "is not a known setting here (misspelt?)");
    }

    private JsonElement.ArrayEnumerator ArrayItems(string name)
    {
        if (!TryGet(name, out var v)) return EmptyArray.EnumerateArray();
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array; got {Describe(v)}");
        return v.EnumerateArray();
    }

    private bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private int InRange(string name, int value, int min, int max) =>
        value < min || value > max ? throw Error(name, $"must be between {min} and {max}; got {value}") : value;

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
