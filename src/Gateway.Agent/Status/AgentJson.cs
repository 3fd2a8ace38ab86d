using System.Text.Json.Serialization;

namespace Gateway.Agent.Status;

/// <summary>
/// Every JSON document the agent writes, serialized by source-generated code: the native AOT build cannot use
/// reflection-based serialization (IL2026/IL3050), and generated code is also what keeps start-up short on a Pi.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(StatusFileDocument))]
internal sealed partial class AgentJson : JsonSerializerContext;

/// <summary>The shape of <c>status.json</c> (read by <c>gatewayctl status</c> by these names).</summary>
internal sealed record StatusFileDocument(
    [property: JsonPropertyName("updated")] string Updated,
    [property: JsonPropertyName("connected")] bool Connected,
    [property: JsonPropertyName("backlog_batches")] int BacklogBatches,
    [property: JsonPropertyName("backlog_bytes")] long BacklogBytes,
    [property: JsonPropertyName("published_batches")] long PublishedBatches,
    [property: JsonPropertyName("last_publish")] string? LastPublish,
    [property: JsonPropertyName("dropped_readings")] long DroppedReadings,
    [property: JsonPropertyName("clock_source")] string ClockSource,
    [property: JsonPropertyName("clock_held")] long ClockHeld,
    [property: JsonPropertyName("system_clock_offset_s")] double? SystemClockOffset,
    [property: JsonPropertyName("chrony_failed")] long? ChronyFailed);
