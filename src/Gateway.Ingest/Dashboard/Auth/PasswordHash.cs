using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// Salted password hashes for operator accounts: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash base64),
/// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2). 600,000 iterations is OWASP's 2023 recommendation for this PRF; the count
/// is stored in the hash so it can be raised later without invalidating existing accounts.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 600_000;

    /// <summary>Below this a hash is refused at start: it would make an offline guess cheap.</summary>
    public const int MinIterations = 10_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool IsWellFormed(string encoded) => TryParse(encoded, out _, out _, out _);

    /// <summary>The iteration count of a well-formed hash (0 otherwise).</summary>
    public static int Iterations(string encoded) => TryParse(encoded, out var iterations, out _, out _) ? iterations : 0;

    /// <summary>Checks a password in constant time with respect to the stored hash; false for a malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password ?? ""), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = (encoded ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations) return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 8 && hash.Length >= 16;
    }
}
