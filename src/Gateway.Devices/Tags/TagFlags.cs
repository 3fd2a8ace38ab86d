namespace Gateway.Devices.Tags;

/// <summary>Byte 9 of an asset tag frame (version 1). Bits 4-7 are reserved: sent as 0, carried through unchanged.</summary>
[Flags]
public enum TagFlags : byte
{
    /// <summary>No flag: a plain beacon without a position.</summary>
    None = 0,

    /// <summary>bit 0: the tag's accelerometer saw movement since the previous frame.</summary>
    Moving = 1 << 0,

    /// <summary>bit 1: the alarm button is pressed (or was, since the previous frame).</summary>
    Alarm = 1 << 1,

    /// <summary>bit 2: the tag's battery is below its own low threshold.</summary>
    LowBattery = 1 << 2,

    /// <summary>bit 3: latitude and longitude follow at bytes 12..19.</summary>
    Position = 1 << 3,
}
