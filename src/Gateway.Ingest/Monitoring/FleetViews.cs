namespace Gateway.Ingest.Monitoring;

/// <summary>A gateway as the dashboard and <c>/api/gateways</c> show it (a snapshot; JSON in camelCase).</summary>
public sealed record GatewayView(
    string Id,
    string? Site,
    bool? Online,
    DateTimeOffset? StatusSince,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastPublish,
    string? Version,
    double? Lat,
    double? Lon,
    long? Backlog,
    double? OldestUnsentSeconds,
    long? Dropped,
    double? BusVoltage,
    double? Current,
    double? CpuTemperature,
    double? EnclosureTemperature,
    double? EnclosureHumidity,
    IReadOnlyList<InputView> Inputs,
    long SequenceMissing,
    long SequenceDuplicates,
    long SequenceResets);

public sealed record InputView(string Name, bool State, bool Alarm, DateTimeOffset At);

/// <summary>An asset tag as <c>/api/assets</c> shows it.</summary>
public sealed record AssetView(
    string Tag,
    string Name,
    string? Site,
    DateTimeOffset? LastSeen,
    string? Gateway,
    long? BatteryMv,
    bool? Moving,
    bool? Alarm,
    bool? LowBattery,
    double? Rssi,
    double? Snr,
    double? Lat,
    double? Lon,
    DateTimeOffset? PositionAt,
    bool Registered,
    string? Kind,
    string? Owner,
    string? Notes);

/// <summary>An asset's recent positions as <c>[unix ms, lat, lon]</c> triples, oldest first.</summary>
public sealed record TrailView(string Tag, IReadOnlyList<double[]> Points);
