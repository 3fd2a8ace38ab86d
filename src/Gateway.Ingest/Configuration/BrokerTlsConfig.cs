using Gateway.Core.Tls;
using Gateway.Mqtt;

namespace Gateway.Ingest.Configuration;

/// <summary>
/// <c>broker.tls</c>, the same keys as the agent profile's: the pinned fleet CA, the ingest's own certificate and key
/// (role ingest; its CN is the MQTT user name the broker's ACL grants the fleet to) and, optionally, the name the
/// broker's certificate must carry when it differs from <c>broker.host</c>. The ingest, the monitor (fleet state,
/// dashboard) and the alerts on <c>fleet/alerts</c> all connect with it.
/// </summary>
public sealed record BrokerTlsConfig(string CaFile, string CertFile, string KeyFile, string? ServerName)
{
    /// <summary>The TLS port (IANA "secure-mqtt"), the default when <c>tls</c> is set.</summary>
    public const int DefaultPort = 8883;

    public MqttTlsOptions ToMqtt() => new() { CaFile = CaFile, CertificateFile = CertFile, KeyFile = KeyFile, ServerName = ServerName };

    /// <summary>
    /// Reads the files as a connection would and checks the certificate's dates; returns null when usable, otherwise
    /// the file at fault and the problem ("names PATH, which ..."), for the caller to prefix with its setting's name.
    /// </summary>
    public (TlsFile File, string Problem)? Check(DateTimeOffset now)
    {
        (DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Subject)? validity;
        try
        {
            validity = ToMqtt().Verify();
        }
        catch (TlsFileException ex)
        {
            return (ex.File, $"names {ex.FilePath}, which {ex.Problem}");
        }
        if (validity is { } v && v.NotAfter <= now)
            return (TlsFile.CertificateFile, $"names {CertFile}, whose certificate ({v.Subject}) expired at {v.NotAfter:u}; the broker refuses it: issue a new one (gatewayctl cert issue NAME --role ingest) and restart");
        if (validity is { } w && w.NotBefore > now)
            return (TlsFile.CertificateFile, $"names {CertFile}, whose certificate ({w.Subject}) is valid only from {w.NotBefore:u}; check this machine's clock");
        return null;
    }
}
