namespace Gateway.Cli.Provisioning;

/// <summary>Inputs of <c>gatewayctl provision</c>, all local files checked before the first byte goes to the target.</summary>
public sealed record ProvisionRequest(string Target, string ProfilePath, string AgentDir, string CaDir, string CertDir)
{
    /// <summary>Prefix of every target path; "/" on a live gateway, an image's root for image builders and tests.</summary>
    public string Root { get; init; } = "/";
    public string? SshConfig { get; init; }
    public string FirmwareDir { get; init; } = "firmware-config/raspberrypi";
    public TimeSpan BirthTimeout { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>A gateway-agent .deb (deploy/package/build.sh) to install with dpkg instead of copying <see cref="AgentDir"/>.</summary>
    public string? PackagePath { get; init; }
    /// <summary>The target's Debian architecture when it is not the SSH host's: an image root built from a laptop.</summary>
    public string? Arch { get; init; }
}
