using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Provisioning;

/// <summary>
/// The subset of JSON Schema 2020-12 that firmware-config/schema/gateway-profile.schema.json uses (type, properties,
/// required, additionalProperties: false, enum, const, minimum/maximum, minLength, minItems, pattern, items,
/// allOf with if/then). Unlike the agent's loader, which stops at the first problem, it reports every problem, one
/// message each, so an engineer fixes a profile in one pass. No package: the NuGet mirror has no schema validator.
/// </summary>
public static class JsonSchemaCheck
{
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement value)
    {
        var problems = new List<string>();
        Check(schema, value, "", problems);
        return problems;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        var at = path.Length == 0 ? "(root)" : path;
        if (schema.ValueKind != JsonValueKind.Object) return;
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            problems.Add($"'{at}' must be {Article(type.GetString()!)}; got {Describe(value)}");
            return;
        }
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
            problems.Add($"'{at}' must be {constant.GetRawText()}; got {Describe(value)}");
        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
            problems.Add($"'{at}' must be one of {string.Join(", ", options.EnumerateArray().Select(o => o.GetRawText()))}; got {Describe(value)}");
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d))
        {
            if (schema.TryGetProperty("minimum", out var min) && d < min.GetDouble()) problems.Add($"'{at}' must be at least {min.GetRawText()}; got {value.GetRawText()}");
            if (schema.TryGetProperty("maximum", out var max) && d > max.GetDouble()) problems.Add($"'{at}' must be at most {max.GetRawText()}; got {value.GetRawText()}");
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            var s = value.GetString()!;
            if (schema.TryGetProperty("minLength", out var ml) && s.Length < ml.GetInt32()) problems.Add($"'{at}' must not be empty");
            if (schema.TryGetProperty("pattern", out var p) && !Regex.IsMatch(s, p.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                problems.Add($"'{at}' must match {p.GetString()}; got \"{s}\"");
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            if (schema.TryGetProperty("minItems", out var mi) && value.GetArrayLength() < mi.GetInt32()) problems.Add($"'{at}' must have at least {mi.GetInt32()} item(s)");
            if (schema.TryGetProperty("items", out var items))
            {
                var i = 0;
                foreach (var item in value.EnumerateArray()) Check(items, item, $"{path}[{i++}]", problems);
            }
        }
        if (value.ValueKind == JsonValueKind.Object) CheckObject(schema, value, path, problems);
        if (schema.TryGetProperty("allOf", out var all))
            foreach (var sub in all.EnumerateArray())
            {
                if (sub.TryGetProperty("if", out var cond))
                {
                    if (Validate(cond, value).Count == 0 && sub.TryGetProperty("then", out var then)) Check(then, value, path, problems);
                }
                else
                {
                    Check(sub, value, path, problems);
                }
            }
    }

    private static void CheckObject(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.TryGetProperty("required", out var required))
            foreach (var r in required.EnumerateArray())
                if (!value.TryGetProperty(r.GetString()!, out _)) problems.Add($"'{Join(path, r.GetString()!)}' is required");
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        foreach (var p in value.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(p.Name, out var sub)) Check(sub, p.Value, Join(path, p.Name), problems);
            else if (schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False)
                problems.Add($"'{Join(path, p.Name)}' is not a known setting here (misspelt?)");
        }
    }

    private static bool HasType(JsonElement v, string type) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "string" => v.ValueKind == JsonValueKind.String,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d),
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => true,
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Article(string type) => type is "object" or "array" or "integer" ? $"an {type}" : $"a {type}";

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"\"{v.GetString()}\"",
        _ => v.GetRawText().ToString(CultureInfo.InvariantCulture),
    };
}
