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
    /// <summary>The agent the gateway-agent package installs.</summary>
    public const string PackagedAgent = "/usr/bin/gateway-agent";
    /// <summary>The last package provision installed: compared by hash, so an unchanged package is not sent or reinstalled.</summary>
    public const string PackageCache = "/var/cache/gateway-agent/gateway-agent.deb";
    public const string ConfigDir = "/etc/gateway";
    public const string Profile = "/etc/gateway/profile.json";
    public const string TlsDir = "/etc/gateway/tls";
    public const string CaFile = "/etc/gateway/tls/ca.crt";
    public const string CertFile = "/etc/gateway/tls/gateway.crt";
    public const string KeyFile = "/etc/gateway/tls/gateway.key";
    public const string UnitFile = "/etc/systemd/system/gateway-agent.service";
    public const string WantsLink = "/etc/systemd/system/multi-user.target.wants/gateway-agent.service";
    public const string StateDir = "/var/lib/gateway";

    /// <summary>
    /// Where gateway-agent 0.1 kept the journal and the keys. The 0.2 package's postinst moves them (and the profile) to
    /// <see cref="StateDir"/> and <see cref="TlsDir"/>; provisioning without the package refuses such a target rather
    /// than start an agent on an empty journal beside the unsent one.
    /// </summary>
    public static readonly IReadOnlyList<string> LegacyDirs = ["/var/lib/gateway-agent", "/etc/gateway-agent/tls"];
    public const string RuntimeDir = "/run/gateway-agent";

    /// <summary>firmware-config/chrony/gateway-gps.conf: chronyd's refclocks fed by the agent (time.chronySocket).</summary>
    public const string ChronyConf = "/etc/chrony/conf.d/gateway-gps.conf";

    /// <summary>firmware-config/chrony/chrony-gateway.service.conf: lets the agent's user write chronyd's sockets.</summary>
    public const string ChronyDropIn = "/etc/systemd/system/chrony.service.d/gateway-gps.conf";

    /// <summary>The groups that own serial, I2C, SPI and GPIO devices on Raspberry Pi OS (udev rules of raspberrypi-sys-mods).</summary>
    public static readonly IReadOnlyList<string> DeviceGroups = ["dialout", "i2c", "spi", "gpio"];
}
