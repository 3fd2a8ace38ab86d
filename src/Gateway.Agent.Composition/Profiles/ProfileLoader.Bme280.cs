using Gateway.Devices.Bme280;

namespace Gateway.Agent.Profiles;

/// <summary>The BME280's mode, oversampling, filter and standby keys (BST-BME280-DS002 §3.3, §3.4.4, §5.4).</summary>
public static partial class ProfileLoader
{
    private static Bme280Options ReadBme280Options(JsonSection s)
    {
        var mode = s.OptionalString("mode") switch
        {
            null or "forced" => Bme280Mode.Forced,
            "normal" => Bme280Mode.Normal,
            var other => throw s.Error("mode", $"must be forced or normal (BME280 datasheet §3.3); got '{other}'"),
        };
        var o = s.Section("oversampling", required: false);
        var options = new Bme280Options(mode, Oversampling(o, "temperature"), Oversampling(o, "pressure"), Oversampling(o, "humidity"),
            Filter(s), Standby(s));
        o.RejectUnknownKeys();
        if (options.Temperature == Bme280Oversampling.Skipped)
            throw o.Error("temperature", "must not be 0: pressure and humidity compensation need the temperature (§4.2.3 t_fine)");
        return options;
    }

    /// <summary>§5.4.3/§5.4.5 osrs_x: 0 (skip), 1, 2, 4, 8, 16.</summary>
    private static Bme280Oversampling Oversampling(JsonSection o, string key) => o.Integer(key, 1, 0, 16) switch
    {
        0 => Bme280Oversampling.Skipped,
        1 => Bme280Oversampling.X1,
        2 => Bme280Oversampling.X2,
        4 => Bme280Oversampling.X4,
        8 => Bme280Oversampling.X8,
        16 => Bme280Oversampling.X16,
        var n => throw o.Error(key, $"must be 0, 1, 2, 4, 8 or 16 (BME280 datasheet §5.4.3); got {n}"),
    };

    /// <summary>§3.4.4 IIR filter coefficient: 0 (off), 2, 4, 8, 16.</summary>
    private static Bme280Filter Filter(JsonSection s) => s.Integer("filter", 0, 0, 16) switch
    {
        0 => Bme280Filter.Off,
        2 => Bme280Filter.Coefficient2,
        4 => Bme280Filter.Coefficient4,
        8 => Bme280Filter.Coefficient8,
        16 => Bme280Filter.Coefficient16,
        var n => throw s.Error("filter", $"must be 0, 2, 4, 8 or 16 (BME280 datasheet §3.4.4); got {n}"),
    };

    /// <summary>§5.4.6 t_sb: 0.5, 10, 20, 62.5, 125, 250, 500, 1000 ms.</summary>
    private static Bme280Standby Standby(JsonSection s) => s.Number("standbyMs", 1000, 0.5, 1000) switch
    {
        0.5 => Bme280Standby.Ms0_5,
        10 => Bme280Standby.Ms10,
        20 => Bme280Standby.Ms20,
        62.5 => Bme280Standby.Ms62_5,
        125 => Bme280Standby.Ms125,
        250 => Bme280Standby.Ms250,
        500 => Bme280Standby.Ms500,
        1000 => Bme280Standby.Ms1000,
        var n => throw s.Error("standbyMs", $"must be 0.5, 10, 20, 62.5, 125, 250, 500 or 1000 (BME280 datasheet §5.4.6); got {n}"),
    };
}
