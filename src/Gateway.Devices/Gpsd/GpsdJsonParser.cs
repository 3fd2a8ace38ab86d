using System.Text.Json;

namespace Gateway.Devices.Gpsd;

/// <summary>
/// Parses one line of gpsd's JSON output (gpsd_json(5)): a single object whose <c>class</c> names the report. Reads
/// the members the gateway uses, skips the others (gpsd adds members between releases), and allocates nothing.
/// </summary>
/// <remarks>
/// Grammar: <c>{"class":"TPV","time":"2022-11-23T11:39:38.500Z","mode":3,"lat":38.71,...}</c>, one per line. A line
/// that is not exactly one JSON object with a string <c>class</c>, nests deeper than gpsd ever does, carries a member
/// of the wrong type, or a position or mode outside its range is malformed: <see cref="TryParse"/> returns false and
/// the caller counts it. The input is hostile (a network peer), so nothing here throws.
/// </remarks>
internal static class GpsdJsonParser
{
    /// <summary>gpsd nests at most three levels (DEVICES → devices[] → DEVICE); a little room for newer reports.</summary>
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 8 };

    public static bool TryParse(ReadOnlySpan<byte> line, out GpsdReport report)
    {
        report = default;
        try
        {
            var reader = new Utf8JsonReader(line, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            var r = new Fields();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!ReadMember(ref reader, ref r)) return false;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false; // anything after the object
            if (!r.HasClass) return false;
            return r.TryBuild(out report);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ReadMember(ref Utf8JsonReader reader, ref Fields r)
    {
        // A member of the wrong type makes a TPV, SKY, PPS or TOFF malformed; other classes may use the names otherwise.
        if (reader.ValueTextEquals("class"u8))
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String) return false;
            r.HasClass = true;
            r.Class = ClassOf(ref reader);
            return true;
        }
        if (reader.ValueTextEquals("time"u8))
        {
            // TPV/SKY time is ISO 8601; some reports (e.g. TOFF/PPS in old releases) used numbers: ignored then.
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.String)
            {
                if (reader.TryGetDateTimeOffset(out var time)) r.Time = time;
                else r.BadMember = true;
            }
            else reader.Skip();
            return true;
        }
        if (reader.ValueTextEquals("satellites"u8)) return ReadSatellites(ref reader, ref r);
        ref var slot = ref Fields.Slot(ref r, ref reader, out var isInteger);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            if (!reader.Read()) return false;
            reader.Skip();
            return true;
        }
        if (!reader.Read()) return false;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value) || (isInteger && value != Math.Floor(value)))
        {
            r.BadMember = true; // a wrong type: malformed if the class is one we read (see TryBuild)
            reader.Skip();
            return true;
        }
        slot = value;
        return true;
    }

    /// <summary>SKY's <c>satellites</c>: counts the entries and those with <c>"used":true</c>.</summary>
    private static bool ReadSatellites(ref Utf8JsonReader reader, ref Fields r)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
        int seen = 0, used = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            seen++;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsed = reader.ValueTextEquals("used"u8);
                if (!reader.Read()) return false;
                if (isUsed && reader.TokenType == JsonTokenType.True) used++;
                else reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndArray) return false;
        r.ListedSeen = seen;
        r.ListedUsed = used;
        return true;
    }

    private static GpsdClass ClassOf(ref Utf8JsonReader reader) => reader switch
    {
        _ when reader.ValueTextEquals("TPV"u8) => GpsdClass.Tpv,
        _ when reader.ValueTextEquals("SKY"u8) => GpsdClass.Sky,
        _ when reader.ValueTextEquals("PPS"u8) => GpsdClass.Pps,
        _ when reader.ValueTextEquals("TOFF"u8) => GpsdClass.Toff,
        _ when reader.ValueTextEquals("VERSION"u8) => GpsdClass.Version,
        _ when reader.ValueTextEquals("WATCH"u8) => GpsdClass.Watch,
        _ when reader.ValueTextEquals("DEVICES"u8) => GpsdClass.Devices,
        _ when reader.ValueTextEquals("DEVICE"u8) => GpsdClass.Device,
        _ when reader.ValueTextEquals("ERROR"u8) => GpsdClass.Error,
        _ => GpsdClass.Other,
    };

    /// <summary>The members as read, before the class says which of them count.</summary>
    private struct Fields
    {
        public bool HasClass, BadMember;
        public GpsdClass Class;
        public DateTimeOffset? Time;
        public double Mode, Status, Lat, Lon, AltMsl, Alt, Speed, Track, Climb, Eph, Epv, Hdop, Pdop, Vdop, USat, NSat;
        public double RealSec, RealNsec, ClockSec, ClockNsec;
        public int? ListedSeen, ListedUsed;

        /// <summary>The slot for the member name under the reader, NaN until read; a null ref for members we skip.</summary>
        public static ref double Slot(ref Fields f, ref Utf8JsonReader reader, out bool isInteger)
        {
            isInteger = true;
            if (reader.ValueTextEquals("mode"u8)) return ref f.Mode;
            if (reader.ValueTextEquals("status"u8)) return ref f.Status;
            if (reader.ValueTextEquals("uSat"u8)) return ref f.USat;
            if (reader.ValueTextEquals("nSat"u8)) return ref f.NSat;
            if (reader.ValueTextEquals("real_sec"u8)) return ref f.RealSec;
            if (reader.ValueTextEquals("real_nsec"u8)) return ref f.RealNsec;
            if (reader.ValueTextEquals("clock_sec"u8)) return ref f.ClockSec;
            if (reader.ValueTextEquals("clock_nsec"u8)) return ref f.ClockNsec;
            isInteger = false;
            if (reader.ValueTextEquals("lat"u8)) return ref f.Lat;
            if (reader.ValueTextEquals("lon"u8)) return ref f.Lon;
            if (reader.ValueTextEquals("altMSL"u8)) return ref f.AltMsl;
            if (reader.ValueTextEquals("alt"u8)) return ref f.Alt;
            if (reader.ValueTextEquals("speed"u8)) return ref f.Speed;
            if (reader.ValueTextEquals("track"u8)) return ref f.Track;
            if (reader.ValueTextEquals("climb"u8)) return ref f.Climb;
            if (reader.ValueTextEquals("eph"u8)) return ref f.Eph;
            if (reader.ValueTextEquals("epv"u8)) return ref f.Epv;
            if (reader.ValueTextEquals("hdop"u8)) return ref f.Hdop;
            if (reader.ValueTextEquals("pdop"u8)) return ref f.Pdop;
            if (reader.ValueTextEquals("vdop"u8)) return ref f.Vdop;
            return ref System.Runtime.CompilerServices.Unsafe.NullRef<double>();
        }

        public Fields()
        {
            Mode = Status = Lat = Lon = AltMsl = Alt = Speed = Track = Climb = Eph = Epv = Hdop = Pdop = Vdop = USat = NSat = double.NaN;
            RealSec = RealNsec = ClockSec = ClockNsec = double.NaN;
        }

        public readonly bool TryBuild(out GpsdReport report)
        {
            report = default;
            // Other classes (GST, ATT, ...) reuse names like lat and alt for other quantities: only the class is kept.
            if (Class is not (GpsdClass.Tpv or GpsdClass.Sky or GpsdClass.Pps or GpsdClass.Toff))
            {
                report = new GpsdReport { Class = Class };
                return true;
            }
            if (BadMember || !InRange(Lat, 90) || !InRange(Lon, 180) || !(double.IsNaN(Mode) || Mode is >= 0 and <= 3)) return false;
            if (!InRange(USat, 0, 1000) || !InRange(NSat, 0, 1000) || !InRange(RealNsec, 0, 999_999_999) || !InRange(ClockNsec, 0, 999_999_999)) return false;
            if (!TryEpoch(RealSec, RealNsec, out var real) || !TryEpoch(ClockSec, ClockNsec, out var clock)) return false;
            report = new GpsdReport
            {
                Class = Class,
                Time = Time,
                Mode = Int(Mode),
                Status = Int(Status),
                Latitude = Value(Lat),
                Longitude = Value(Lon),
                AltitudeMsl = Value(double.IsNaN(AltMsl) ? Alt : AltMsl),
                Speed = Value(Speed),
                Track = Value(Track),
                Climb = Value(Climb),
                Eph = Value(Eph),
                Epv = Value(Epv),
                Hdop = Value(Hdop),
                Pdop = Value(Pdop),
                Vdop = Value(Vdop),
                SatellitesUsed = Int(USat) ?? ListedUsed,
                SatellitesSeen = Int(NSat) ?? ListedSeen,
                RealTime = real,
                ClockTime = clock,
            };
            return true;
        }

        private static bool InRange(double v, double limit) => double.IsNaN(v) || (v >= -limit && v <= limit);

        private static bool InRange(double v, double min, double max) => double.IsNaN(v) || (v >= min && v <= max);

        private static double? Value(double v) => double.IsNaN(v) ? null : v;

        private static int? Int(double v) => double.IsNaN(v) || v > int.MaxValue || v < int.MinValue ? null : (int)v;

        /// <summary>Seconds and nanoseconds since 1970 (PPS/TOFF); absent when either is; false when out of range.</summary>
        private static bool TryEpoch(double seconds, double nanoseconds, out DateTimeOffset? time)
        {
            time = null;
            if (double.IsNaN(seconds) || double.IsNaN(nanoseconds)) return true;
            if (seconds is < 0 or > 253_402_300_799) return false; // DateTimeOffset's range, year 9999
            time = DateTimeOffset.UnixEpoch.AddTicks(((long)seconds * TimeSpan.TicksPerSecond) + ((long)nanoseconds / 100));
            return true;
        }
    }
}
