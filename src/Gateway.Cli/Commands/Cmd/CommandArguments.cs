using System.Globalization;
using System.Text.Json;

namespace Gateway.Cli.Commands.Cmd;

/// <summary>
/// Turns <c>gatewayctl cmd</c>'s ARGS into the command's JSON object: either one JSON object as it is
/// (<c>'{"source":"counter","ratePerSecond":2}'</c>) or <c>key=value</c> pairs, where a value that reads as a number
/// or true/false becomes one and anything else a string (<c>source=counter ratePerSecond=2</c>).
/// </summary>
public static class CommandArguments
{
    /// <summary>The agent refuses more (CommandRequest.MaxPayloadBytes); refusing here says so before connecting.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The JSON payload (empty for no arguments); throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static byte[] ToJson(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return [];
        byte[] json;
        if (args.Count == 1 && args[0].TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(args[0]);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ArgumentException("ARGS: give one JSON object or key=value pairs.");
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"ARGS is not valid JSON: {ex.Message}", ex);
            }
            json = System.Text.Encoding.UTF8.GetBytes(args[0]);
        }
        else
        {
            json = FromPairs(args);
        }
        if (json.Length > MaxBytes) throw new ArgumentException($"ARGS is {json.Length} bytes as JSON; a command takes at most {MaxBytes}.");
        return json;
    }

    private static byte[] FromPairs(IReadOnlyList<string> args)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var arg in args)
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new ArgumentException($"ARGS: '{arg}' is not key=value (or pass one JSON object).");
                var key = arg[..eq];
                var value = arg[(eq + 1)..];
                if (!seen.Add(key)) throw new ArgumentException($"ARGS: '{key}' is given twice.");
                if (value is "true" or "false") w.WriteBoolean(key, value == "true");
                else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) w.WriteNumber(key, d);
                else w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
