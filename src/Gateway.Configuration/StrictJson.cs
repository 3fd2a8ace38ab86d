using System.Text.Json;

namespace Gateway.Configuration;

/// <summary>
/// How every JSON we are given is parsed: the profile, the central configuration and command payloads. Duplicate keys
/// are refused (System.Text.Json keeps the last by default): a profile with two <c>gatewayId</c>s, or a
/// <c>set-rate</c> with two <c>source</c>s, means one thing to the engineer who reads the first and another to the
/// program that reads the last (issue 12 item 14).
/// </summary>
public static class StrictJson
{
    /// <param name="maxDepth">Nesting bound (hostile input: DESIGN §6).</param>
    /// <param name="lenient">Comments and trailing commas allowed (files that engineers edit by hand), or not (wire payloads).</param>
    public static JsonDocumentOptions Options(int maxDepth, bool lenient) => new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = maxDepth,
        CommentHandling = lenient ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
        AllowTrailingCommas = lenient,
    };

    /// <summary>Parses <paramref name="json"/>; throws <see cref="JsonException"/> for malformed JSON and duplicate keys.</summary>
    public static JsonDocument Parse(ReadOnlySpan<byte> json, int maxDepth, bool lenient) =>
        JsonDocument.Parse(json.ToArray(), Options(maxDepth, lenient));
}
