namespace Gateway.Cli.Pki;

/// <summary>
/// What a certificate of the fleet CA is for. The role decides the extended key usage (RFC 5280 §4.2.1.12) and the
/// broker ACL the holder gets (<see cref="Commands.Broker.BrokerAcl"/>); it is also written as the subject's OU so that
/// <c>openssl x509 -subject</c> shows it.
/// </summary>
public enum CertificateRole
{
    /// <summary>A field gateway: CN is its gateway id; it may write only <c>fleet/{id}/#</c> and read its own commands.</summary>
    Gateway,

    /// <summary>The central broker: a TLS server certificate carrying its host names and addresses.</summary>
    Broker,

    /// <summary>The central ingest: reads the whole fleet.</summary>
    Ingest,

    /// <summary>An engineer or dashboard operator: sends commands and reads their replies and the fleet's status.</summary>
    Operator,

    /// <summary>
    /// The central dashboard's HTTPS endpoint (gateway-ingest's Kestrel): a TLS server certificate carrying the names
    /// browsers use. Not an MQTT client: the broker ACL gives it nothing.
    /// </summary>
    Dashboard,
}

public static class CertificateRoles
{
    public static string Name(this CertificateRole role) => role.ToString().ToLowerInvariant();

    /// <summary>Roles that serve TLS (serverAuth) and so need the names clients connect to.</summary>
    public static bool IsServer(this CertificateRole role) => role is CertificateRole.Broker or CertificateRole.Dashboard;

    public static bool TryParse(string text, out CertificateRole role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role) && !char.IsDigit(text[0]);
}
