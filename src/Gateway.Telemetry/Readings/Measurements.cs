namespace Gateway.Telemetry.Readings;

/// <summary>
/// The measurements every gateway writes (DESIGN §4.4). Units are in the field names' documentation here and in the
/// README, so that a dashboard query never has to guess.
/// </summary>
public static class Measurements
{
    /// <summary>
    /// <c>gps</c>: lat/lon in degrees (WGS-84), alt in metres above mean sea level, speed in m/s, course in degrees true,
    /// hdop, satellites used, mode (1 no fix, 2 = 2D, 3 = 3D).
    /// </summary>
    public static readonly MeasurementSchema Gps = new("gps",
    [
        new("lat", FieldKind.Float), new("lon", FieldKind.Float), new("alt", FieldKind.Float),
        new("speed", FieldKind.Float), new("course", FieldKind.Float), new("hdop", FieldKind.Float),
        new("satellites", FieldKind.Integer), new("mode", FieldKind.Integer),
    ]);

    /// <summary><c>env</c>: temperature in °C, relative humidity in %, pressure in hPa.</summary>
    public static readonly MeasurementSchema Env = new("env",
    [
        new("temperature", FieldKind.Float), new("humidity", FieldKind.Float), new("pressure", FieldKind.Float),
    ]);

    /// <summary>
    /// <c>counter</c>: <c>seq</c> rises by exactly one per reading from a counter source. Reliability tests count on
    /// it: any gap in <c>seq</c> in the store is a lost reading.
    /// </summary>
    public static readonly MeasurementSchema Counter = new("counter", [new("seq", FieldKind.Integer)]);
}
