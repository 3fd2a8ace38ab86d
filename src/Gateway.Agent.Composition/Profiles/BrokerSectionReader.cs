namespace Gateway.Agent.Profiles;

/// <summary>
/// Reads the <c>broker</c> section: <c>{ "host": "broker.example.org", "port": 8883, "keepAliveSeconds": 60,
/// "reconnectMaxSeconds": 300, "commands": true, "tls": { "caFile": "/etc/gateway/tls/ca.crt", "certFile":
/// "/etc/gateway/tls/gateway.crt", "keyFile": "/etc/gateway/tls/gateway.key", "serverName": "broker" } }</c>.
/// The port defaults to 8883 with <c>tls</c> and 1883 without (the IANA ports for MQTT over TLS and TCP).
/// </summary>
internal static class BrokerSectionReader
{
    public static BrokerProfile Read(JsonSection root)
    {
        var b = root.Section("broker", required: true);
        var host = b.RequiredString("host");
        var tls = b.Has("tls") ? ReadTls(b.Section("tls", required: true)) : null;
        var broker = new BrokerProfile(
            host,
            b.Integer("port", tls is null ? 1883 : 8883, 1, 65535),
            TimeSpan.FromSeconds(b.Integer("keepAliveSeconds", 30, 5, 3600)),
            TimeSpan.FromSeconds(b.Integer("reconnectMaxSeconds", 60, 1, 3600)))
        {
            Tls = tls,
            Commands = b.Boolean("commands", true),
        };
        b.RejectUnknownKeys();
        return broker;
    }

    private static BrokerTlsProfile ReadTls(JsonSection t)
    {
        var tls = new BrokerTlsProfile(
            AbsolutePath(t, "caFile", BrokerTlsProfile.ProvisionedCaFile),
            AbsolutePath(t, "certFile", BrokerTlsProfile.ProvisionedCertFile),
            AbsolutePath(t, "keyFile", BrokerTlsProfile.ProvisionedKeyFile),
            t.OptionalString("serverName"));
        t.RejectUnknownKeys();
        return tls;
    }

    private static string AbsolutePath(JsonSection t, string name, string provisioned)
    {
        // Required, not defaulted to the provisioned path: a profile should say where its key is, and the message
        // tells the engineer what provision installs.
        var value = t.OptionalString(name) ?? throw t.Error(name, $"is required (gatewayctl provision installs it at {provisioned})");
        if (!Path.IsPathFullyQualified(value))
            throw t.Error(name, $"must be an absolute path (e.g. {provisioned}); got '{value}'");
        return value;
    }
}
