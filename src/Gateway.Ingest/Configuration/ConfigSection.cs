using System.Globalization;
using System.Text.Json;

namespace Gateway.Ingest.Configuration;

/// <summary>
/// A JSON object being read during validation, with its path, so that every problem reads
/// "'store.url' must be ..." instead of a serializer's stack trace. Unknown keys are errors: a misspelt
/// <c>holdSecond</c> silently ignored is an alert rule that flaps while the operator believes it is damped.
/// (The agent's profile reader follows the same rules; the two projects do not share an assembly.)
/// </summary>
internal sealed class ConfigSection
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = [];

    public ConfigSection(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw new ConfigException(file, path.Length == 0 ? "(root)" : path, $"must be a JSON object; got {Describe(element)}");
        _element = element;
    }

    public string File { get; }
    public string Path { get; }

    public string Key(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public ConfigException Error(string name, string problem) => new(File, Key(name), problem);

    public bool Has(string name) => TryGet(name, out _);

    public string RequiredString(string name) => OptionalString(name) ?? throw Error(name, "is required");

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw Error(name, $"must be a string; got {Describe(v)}");
        var s = v.GetString()!;
        return s.Length == 0 ? throw Error(name, "must not be empty (leave the key out for the default)") : s;
    }

    public string String(string name, string defaultValue) => OptionalString(name) ?? defaultValue;

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

    public double Number(string name, double? defaultValue, double min, double max)
    {
        if (!TryGet(name, out var v)) return defaultValue ?? throw Error(name, "is required");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw Error(name, $"must be a number; got {Describe(v)}");
        if (d < min || d > max)
            throw Error(name, $"must be between {Format(min)} and {Format(max)}; got {Format(d)}");
        return d;
    }

    public int Integer(string name, int? defaultValue, int min, int max)
    {
        if (!TryGet(name, out var v)) return defaultValue ?? throw Error(name, "is required");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw Error(name, $"must be a whole number; got {Describe(v)}");
        return i < min || i > max ? throw Error(name, $"must be between {min} and {max}; got {i}") : i;
    }

    public TimeSpan Seconds(string name, double defaultSeconds, double min, double max) =>
        TimeSpan.FromSeconds(Number(name, defaultSeconds, min, max));

    public Uri? OptionalHttpUrl(string name)
    {
        var s = OptionalString(name);
        if (s is null) return null;
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw Error(name, $"must be an http(s) URL such as http://127.0.0.1:8086; got '{s}'");
        return uri;
    }

    public ConfigSection Section(string name)
    {
        if (TryGet(name, out var v)) return new ConfigSection(File, Key(name), v);
        return new ConfigSection(File, Key(name), EmptyObject);
    }

    public IEnumerable<ConfigSection> Objects(string name)
    {
        var i = 0;
        foreach (var item in ArrayItems(name)) yield return new ConfigSection(File, $"{Key(name)}[{i++}]", item);
    }

    public IReadOnlyList<string> Strings(string name)
    {
        var list = new List<string>();
        var i = 0;
        foreach (var item in ArrayItems(name))
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } s)
                throw new ConfigException(File, $"{Key(name)}[{i}]", $"must be a non-empty string; got {Describe(item)}");
            list.Add(s);
            i++;
        }
        return list;
    }

    /// <summary>An array of <c>[latitude, longitude]</c> pairs, e.g. a geofence polygon.</summary>
    public IReadOnlyList<(double Lat, double Lon)>? Coordinates(string name)
    {
        if (!Has(name)) return null;
        var list = new List<(double, double)>();
        var i = 0;
        foreach (var item in ArrayItems(name))
        {
            var key = $"{Key(name)}[{i++}]";
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2
                || !item[0].TryGetDouble(out var lat) || !item[1].TryGetDouble(out var lon))
                throw new ConfigException(File, key, $"must be a [latitude, longitude] pair of numbers; got {Describe(item)}");
            if (lat is < -90 or > 90 || lon is < -180 or > 180)
                throw new ConfigException(File, key, $"is not a position: latitude must be -90..90 and longitude -180..180 (order is [lat, lon]); got [{Format(lat)}, {Format(lon)}]");
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

    private IEnumerable<JsonElement> ArrayItems(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array; got {Describe(v)}");
        return v.EnumerateArray();
    }

    private bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
