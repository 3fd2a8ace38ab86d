using System.Diagnostics.CodeAnalysis;

namespace Gateway.Devices.Gpsd;

/// <summary>
/// Where a gpsd listens, from a gps source's <c>"device": "gpsd://HOST[:PORT]"</c> (port 2947, gpsd's IANA port, when
/// absent).
/// </summary>
public sealed record GpsdEndpoint(string Host, int Port)
{
    /// <summary>The prefix that makes a gps source's <c>device</c> a gpsd address instead of a serial port path.</summary>
    public const string Scheme = "gpsd://";

    /// <summary>gpsd's registered port (IANA "gpsd").</summary>
    public const int DefaultPort = 2947;

    /// <summary>Whether a device string names gpsd rather than a serial port.</summary>
    public static bool IsGpsd(string device) => device.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>gpsd://HOST[:PORT]</c>; false with the reason when it is not exactly that.</summary>
    public static bool TryParse(string device, [NotNullWhen(true)] out GpsdEndpoint? endpoint, [NotNullWhen(false)] out string? problem)
    {
        endpoint = null;
        if (!IsGpsd(device) || !Uri.TryCreate(device, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            problem = $"must be gpsd://HOST or gpsd://HOST:PORT (e.g. gpsd://127.0.0.1:{DefaultPort}); got '{device}'";
            return false;
        }
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length != 0 || uri.Fragment.Length != 0 || uri.UserInfo.Length != 0)
        {
            problem = $"gpsd://HOST:PORT takes no path, user, query or fragment; got '{device}'";
            return false;
        }
        endpoint = new GpsdEndpoint(uri.IdnHost, uri.Port is > 0 ? uri.Port : DefaultPort);
        problem = null;
        return true;
    }

    /// <summary><c>host:port</c> for messages and logs, with an IPv6 host in brackets (<c>[::1]:2947</c>) as in a URI.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
