namespace Gateway.Agent.Profiles;

/// <summary>
/// The profile's <c>broker.tls</c> section: the pinned fleet CA, the gateway's own certificate and key (mutual TLS,
/// its CN is the gateway id the broker's ACL uses) and, optionally, the name the broker's certificate must carry when
/// it differs from <c>broker.host</c>. Paths are absolute: under systemd the agent's working directory means nothing.
/// <c>gatewayctl provision</c> installs the files at <see cref="ProvisionedCaFile"/>, <see cref="ProvisionedCertFile"/>
/// and <see cref="ProvisionedKeyFile"/>.
/// </summary>
public sealed record BrokerTlsProfile(string CaFile, string CertFile, string KeyFile, string? ServerName)
{
    /// <summary>Where provisioning installs the fleet CA certificate.</summary>
    public const string ProvisionedCaFile = "/etc/gateway/tls/ca.crt";

    /// <summary>Where provisioning installs the gateway's certificate (CN = gateway id).</summary>
    public const string ProvisionedCertFile = "/etc/gateway/tls/gateway.crt";

    /// <summary>Where provisioning installs the gateway's private key (mode 0600, owned by the agent's user).</summary>
    public const string ProvisionedKeyFile = "/etc/gateway/tls/gateway.key";

    /// <summary>The MQTT client's TLS options; the CA is pinned (the system store is not consulted).</summary>
    public Mqtt.MqttTlsOptions ToMqtt() => new()
    {
        CaFile = CaFile,
        CertificateFile = CertFile,
        KeyFile = KeyFile,
        ServerName = ServerName,
    };
}
