using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Cli.Pki;

/// <summary>
/// <c>CA_DIR/index.json</c>: every certificate the CA issued (serial, name, role, expiry, revocation) and the last CRL
/// number. It is what <c>cert revoke NAME</c> finds serials in, what keeps one name to one role (an operator named like
/// a gateway would get that gateway's topics through the ACL patterns), and what <c>broker config</c> lists users from.
/// </summary>
public sealed class CaIndex
{
    public int CrlNumber { get; set; }
    public List<IssuedCertificate> Certificates { get; set; } = [];

    public static CaIndex Load(string caDir)
    {
        var path = PathOf(caDir);
        if (!File.Exists(path)) return new CaIndex();
        return JsonSerializer.Deserialize(File.ReadAllText(path), CaIndexJson.Default.CaIndex)
            ?? throw new PkiException($"{path} is empty or damaged; restore it from the CA's backup");
    }

    public void Save(string caDir) =>
        PemFiles.WriteAtomic(PathOf(caDir), JsonSerializer.Serialize(this, CaIndexJson.Default.CaIndex) + "\n", PemFiles.PublicMode);

    /// <summary>Certificates of <paramref name="name"/> that are neither revoked nor expired at <paramref name="now"/>.</summary>
    public IEnumerable<IssuedCertificate> Valid(string name, DateTimeOffset now) =>
        Certificates.Where(c => c.Name == name && c.RevokedAt is null && c.NotAfter > now);

    public static string PathOf(string caDir) => Path.Combine(caDir, "index.json");
}

public sealed class IssuedCertificate
{
    public required string Serial { get; init; }
    public required string Name { get; init; }
    public required CertificateRole Role { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CaIndex))]
internal sealed partial class CaIndexJson : JsonSerializerContext;
