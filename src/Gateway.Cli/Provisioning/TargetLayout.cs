namespace Gateway.Cli.Provisioning;

/// <summary>
/// Where provisioning puts things on a gateway (paths inside the target; <c>--root</c> prefixes all of them). The
/// agent is read-only under /opt, its configuration under /etc, its state in systemd's StateDirectory.
/// </summary>
public static class TargetLayout
{
    public const string Service = "gateway-agent";
    public const string User = "gateway";
    public const string AgentDir = "/opt/gateway-agent";
    public const string ConfigDir = "/etc/gateway-agent";
    public const string Profile = "/etc/gateway-agent/profile.json";
    public const string TlsDir = "/etc/gateway-agent/tls";
    public const string CaFile = "/etc/gateway-agent/tls/ca.crt";
    public const string CertFile = "/etc/gateway-agent/tls/gateway.crt";
    public const string KeyFile = "/etc/gateway-agent/tls/gateway.key";
    public const string UnitFile = "/etc/systemd/system/gateway-agent.service";
    public const string WantsLink = "/etc/systemd/system/multi-user.target.wants/gateway-agent.service";
    public const string StateDir = "/var/lib/gateway-agent";
    public const string RuntimeDir = "/run/gateway-agent";

    /// <summary>firmware-config/chrony/gateway-gps.conf: chronyd's refclocks fed by the agent (time.chronySocket).</summary>
    public const string ChronyConf = "/etc/chrony/conf.d/gateway-gps.conf";

    /// <summary>firmware-config/chrony/chrony-gateway.service.conf: lets the agent's user write chronyd's sockets.</summary>
    public const string ChronyDropIn = "/etc/systemd/system/chrony.service.d/gateway-gps.conf";

    /// <summary>The groups that own serial, I2C, SPI and GPIO devices on Raspberry Pi OS (udev rules of raspberrypi-sys-mods).</summary>
    public static readonly IReadOnlyList<string> DeviceGroups = ["dialout", "i2c", "spi", "gpio"];
}
