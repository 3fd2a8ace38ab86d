using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tags;

/// <summary>
/// The <c>tag</c> measurement (DESIGN §4.4), one point per accepted frame, tagged <c>tag</c> = the tag id as 8 lowercase
/// hex digits: lat/lon in degrees (only when the frame has a position), battery_mv, the three flags, rssi in dBm, snr
/// in dB and the frame counter.
/// </summary>
internal static class TagMeasurement
{
    public static readonly MeasurementSchema Schema = new("tag",
    [
        new("lat", FieldKind.Float), new("lon", FieldKind.Float), new("battery_mv", FieldKind.Integer),
        new("moving", FieldKind.Boolean), new("alarm", FieldKind.Boolean), new("low_battery", FieldKind.Boolean),
        new("rssi", FieldKind.Float), new("snr", FieldKind.Float), new("counter", FieldKind.Integer),
    ], subjectTagKey: "tag");

    /// <summary>The values of one accepted frame, in schema order (NaN lat/lon are left out by the encoder).</summary>
    public static ReadingValues Values(in TagFrame frame, double rssi, double snr)
    {
        ReadOnlySpan<double> values =
        [
            frame.Latitude, frame.Longitude, frame.BatteryMillivolts,
            (frame.Flags & TagFlags.Moving) != 0 ? 1 : 0,
            (frame.Flags & TagFlags.Alarm) != 0 ? 1 : 0,
            (frame.Flags & TagFlags.LowBattery) != 0 ? 1 : 0,
            rssi, snr, frame.Counter,
        ];
        return ReadingValues.From(values);
    }
}
