namespace Gateway.Ingest.Alerts;

/// <summary>
/// One alert as operators see it. <see cref="Id"/> is <c>{rule}:{subject}</c> (e.g. <c>geofence:asset/0a1b2c3d</c>):
/// one alert per rule and subject, raised and cleared over time.
/// </summary>
public sealed record Alert(
    string Id,
    string Rule,
    string Severity,
    string? Gateway,
    string? Tag,
    string? Sensor,
    string Message,
    bool Active,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ClearedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt);

/// <summary>A raise or clear on its way to the store, <c>fleet/alerts</c>, the webhook and the dashboards.</summary>
public sealed record AlertChange(Alert Alert, AlertTransition Transition, DateTimeOffset At);

/// <summary>Rule names as they appear in the <c>alert</c> measurement's <c>rule</c> tag and in alert ids.</summary>
public static class AlertRules
{
    public const string GatewayOffline = "gateway_offline";
    public const string AssetNotSeen = "asset_not_seen";
    public const string Geofence = "geofence";
    public const string TagBatteryLow = "tag_battery_low";
    public const string TagAlarm = "tag_alarm";
    public const string EnclosureInput = "enclosure_input";
    public const string EnclosureTemperature = "enclosure_temperature";
}
