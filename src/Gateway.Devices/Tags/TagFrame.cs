namespace Gateway.Devices.Tags;

/// <summary>
/// A decoded asset tag frame, version 1 (the wire layout is in <see cref="TagFrameCodec"/> and the device README).
/// Latitude and longitude are in 1e-7 degrees and meaningful only with <see cref="TagFlags.Position"/>.
/// </summary>
public readonly record struct TagFrame(uint TagId, uint Counter, TagFlags Flags, ushort BatteryMillivolts, int Latitude1e7, int Longitude1e7, uint Mic)
{
    /// <summary>True when the frame carries a position (flag bit 3).</summary>
    public bool HasPosition => (Flags & TagFlags.Position) != 0;

    /// <summary>Latitude in degrees, or NaN without a position.</summary>
    public double Latitude => HasPosition ? Latitude1e7 / 1e7 : double.NaN;

    /// <summary>Longitude in degrees, or NaN without a position.</summary>
    public double Longitude => HasPosition ? Longitude1e7 / 1e7 : double.NaN;

    /// <summary>The tag id as the <c>tag</c> tag writes it: 8 lowercase hex digits.</summary>
    public string TagHex => TagId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The frame's length on the wire: 16 bytes, or 24 with a position.</summary>
    public int WireLength => TagFrameCodec.LengthFor(Flags);
}
