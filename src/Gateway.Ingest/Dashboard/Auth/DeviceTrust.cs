using System.Security.Cryptography;
using System.Text;

namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// "This browser has logged in as USER before": a cookie a browser gets with a successful login (OWASP's device
/// cookie for slow brute force). A login that carries it for the name it tries is throttled on its own key, not on
/// the address's or the user name's, so someone guessing an operator's password from elsewhere delays the guesser and
/// new browsers, never the operator's own browser. The value is an HMAC of the user name under a key made at start;
/// it says nothing else, cannot be forged for another name, and is void after a restart (that browser's next login
/// counts as a new browser's).
/// </summary>
public sealed class DeviceTrust
{
    public const string Cookie = "gw_device";

    /// <summary>How long a browser keeps the cookie.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Issue(string user) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(user))).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public bool Holds(string? cookie, string user) =>
        cookie is { Length: > 0 and < 100 } &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(Issue(user)));
}
