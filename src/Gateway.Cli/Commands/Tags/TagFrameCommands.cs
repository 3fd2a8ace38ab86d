using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gateway.Devices.Tags;

namespace Gateway.Cli.Commands.Tags;

/// <summary><c>gatewayctl tags decode</c> and <c>encode</c>: one frame, checked or built, for testing a tag in the field.</summary>
public static class TagFrameCommands
{
    public static Command Decode(TextWriter output, TextWriter error)
    {
        var frameHex = new Argument<string>("FRAMEHEX") { Description = "the received frame in hex (16 or 24 bytes)" };
        var key = new Option<string?>("--key") { Description = "the tag's key, 32 hex digits" };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "a file holding the key in hex, or the agent's tag key file (looked up by the frame's tag id)" };
        var command = new Command("decode", "Check a frame's MIC with the tag's key and print it as JSON") { frameHex, key, keyFile };
        command.SetAction(parse =>
        {
            byte[] packet;
            try
            {
                packet = Convert.FromHexString(parse.GetValue(frameHex)!.Replace(" ", "", StringComparison.Ordinal));
            }
            catch (FormatException)
            {
                return TagsCommands.Usage(error, "FRAMEHEX must be hex digits (two per byte)");
            }
            TagFrame frame;
            try
            {
                frame = TagFrameCodec.Decode(packet);
            }
            catch (TagFrameException ex)
            {
                error.WriteLine($"invalid frame: {ex.Message}");
                return TagsCommands.ExitInvalid;
            }
            if (!TryKey(parse.GetValue(key), parse.GetValue(keyFile), frame.TagId, error, out var keyBytes, out var code)) return code;
            using var cmac = new AesCmac(keyBytes);
            if (!TagFrameCodec.VerifyMic(packet, cmac))
            {
                error.WriteLine($"invalid frame: bad MIC for tag {frame.TagHex} (wrong key, or the frame was corrupted)");
                return TagsCommands.ExitInvalid;
            }
            output.WriteLine(ToJson(frame));
            return 0;
        });
        return command;
    }

    public static Command Encode(TextWriter output, TextWriter error)
    {
        var key = new Option<string>("--key") { Description = "the tag's key, 32 hex digits", Required = true };
        var tag = new Option<string>("--tag") { Description = "tag id, 8 hex digits", Required = true };
        var counter = new Option<uint>("--counter") { Description = "frame counter (must exceed the last one the gateway accepted)", Required = true };
        var battery = new Option<ushort>("--battery-mv") { Description = "battery in mV", DefaultValueFactory = _ => 3600 };
        var moving = new Option<bool>("--moving") { Description = "set the moving flag" };
        var alarm = new Option<bool>("--alarm") { Description = "set the alarm button flag" };
        var low = new Option<bool>("--low-battery") { Description = "set the low battery flag" };
        var lat = new Option<double?>("--lat") { Description = "latitude in degrees (with --lon: the frame carries a position)" };
        var lon = new Option<double?>("--lon") { Description = "longitude in degrees" };
        var command = new Command("encode", "Build a frame (hex) with a valid MIC, to test a gateway") { key, tag, counter, battery, moving, alarm, low, lat, lon };
        command.SetAction(parse =>
        {
            if (!TagKeyStore.TryParseKey(parse.GetValue(key)!, out var keyBytes)) return TagsCommands.Usage(error, "--key must be 32 hex digits (16 bytes)");
            if (!TagKeyStore.TryParseTagId(parse.GetValue(tag)!, out var tagId)) return TagsCommands.Usage(error, "--tag must be 1-8 hex digits");
            var (la, lo) = (parse.GetValue(lat), parse.GetValue(lon));
            if (la.HasValue != lo.HasValue) return TagsCommands.Usage(error, "give both --lat and --lon, or neither");
            if (la is < -90 or > 90 || lo is < -180 or > 180) return TagsCommands.Usage(error, "--lat must be within ±90 and --lon within ±180");
            var flags = (parse.GetValue(moving) ? TagFlags.Moving : 0) | (parse.GetValue(alarm) ? TagFlags.Alarm : 0)
                | (parse.GetValue(low) ? TagFlags.LowBattery : 0) | (la.HasValue ? TagFlags.Position : 0);
            var frame = new TagFrame(tagId, parse.GetValue(counter), flags, parse.GetValue(battery),
                la.HasValue ? (int)Math.Round(la.Value * 1e7) : 0, lo.HasValue ? (int)Math.Round(lo.Value * 1e7) : 0, 0);
            using var cmac = new AesCmac(keyBytes);
            var bytes = new byte[TagFrameCodec.MaxLength];
            var n = TagFrameCodec.Encode(frame, cmac, bytes);
            output.WriteLine(Convert.ToHexStringLower(bytes.AsSpan(0, n)));
            return 0;
        });
        return command;
    }

    /// <summary>The frame as the one JSON object the issue names: tag, counter, flags, battery_mv, lat, lon.</summary>
    public static string ToJson(in TagFrame frame)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("tag", frame.TagHex);
            json.WriteNumber("counter", frame.Counter);
            json.WriteStartObject("flags");
            json.WriteBoolean("moving", (frame.Flags & TagFlags.Moving) != 0);
            json.WriteBoolean("alarm", (frame.Flags & TagFlags.Alarm) != 0);
            json.WriteBoolean("low_battery", (frame.Flags & TagFlags.LowBattery) != 0);
            json.WriteBoolean("position", frame.HasPosition);
            json.WriteEndObject();
            json.WriteNumber("battery_mv", frame.BatteryMillivolts);
            if (frame.HasPosition)
            {
                json.WriteNumber("lat", frame.Latitude);
                json.WriteNumber("lon", frame.Longitude);
            }
            else
            {
                json.WriteNull("lat");
                json.WriteNull("lon");
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool TryKey(string? keyHex, FileInfo? keyFile, uint tagId, TextWriter error, out byte[] key, out int code)
    {
        key = [];
        code = 0;
        if (keyHex is not null == keyFile is not null)
        {
            code = TagsCommands.Usage(error, "give exactly one of --key KEYHEX or --key-file FILE");
            return false;
        }
        if (keyHex is not null)
        {
            if (TagKeyStore.TryParseKey(keyHex, out key)) return true;
            code = TagsCommands.Usage(error, "--key must be 32 hex digits (16 bytes)");
            return false;
        }
        try
        {
            var text = File.ReadAllText(keyFile!.FullName).Trim();
            if (TagKeyStore.TryParseKey(text, out key)) return true;
            var store = TagKeyStore.Load(keyFile.FullName);
            if (store.TryGet(tagId, out var entry))
            {
                key = entry.Key;
                return true;
            }
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"invalid frame: tag {tagId:x8} is not in {keyFile.FullName}"));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"gatewayctl tags: {ex.Message}");
        }
        code = TagsCommands.ExitInvalid;
        return false;
    }
}
