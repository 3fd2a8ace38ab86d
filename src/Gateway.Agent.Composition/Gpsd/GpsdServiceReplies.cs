using System.Text;
using System.Text.Json;

namespace Gateway.Agent.Gpsd;

/// <summary>
/// The fixed replies of <see cref="GpsdService"/>, as gpsd 3.22 words them (gpsd_json(5)), each one line. Protocol
/// 3.14 is what Debian's gpsd-clients 3.22 expect; <c>release</c> says that this is the gateway, not gpsd.
/// </summary>
internal sealed class GpsdServiceReplies
{
    public GpsdServiceReplies(string devicePath)
    {
        // A JSON string literal without the reflection-based serializer (the agent is native AOT).
        var path = $"\"{JsonEncodedText.Encode(devicePath)}\"";
        Version = Line("""{"class":"VERSION","release":"gateway-agent","rev":"gateway-agent","proto_major":3,"proto_minor":14}""");
        Devices = Line($$"""{"class":"DEVICES","devices":[{"class":"DEVICE","path":{{path}},"driver":"NMEA0183","native":0}]}""");
    }

    public byte[] Version { get; }

    public byte[] Devices { get; }

    public static byte[] Watch(bool enable) => Line(
        $$"""{"class":"WATCH","enable":{{(enable ? "true" : "false")}},"json":{{(enable ? "true" : "false")}},"nmea":false,"raw":0,"scaled":false,"timing":false,"split24":false,"pps":false}""");

    /// <summary>?POLL: the latest TPV and SKY (gpsd lists one per device; we have one device).</summary>
    public static byte[] Poll(byte[]? tpv, byte[]? sky)
    {
        var text = new StringBuilder("""{"class":"POLL","active":""").Append(tpv is null ? 0 : 1).Append(""","tpv":[""");
        if (tpv is not null) text.Append(Encoding.UTF8.GetString(tpv).TrimEnd('\n'));
        text.Append("""],"sky":[""");
        if (sky is not null) text.Append(Encoding.UTF8.GetString(sky).TrimEnd('\n'));
        return Line(text.Append("]}").ToString());
    }

    /// <summary>gpsd's answer to a request it does not know; the name is cut and reduced to safe characters.</summary>
    public static byte[] Unrecognized(ReadOnlySpan<byte> request)
    {
        var name = new StringBuilder();
        foreach (var b in request[..Math.Min(request.Length, 32)]) name.Append(char.IsAsciiLetterOrDigit((char)b) || b == '?' ? (char)b : '_');
        return Line($$"""{"class":"ERROR","message":"Unrecognized request '{{name}}'"}""");
    }

    private static byte[] Line(string json) => Encoding.UTF8.GetBytes(json + "\n");
}
