using Gateway.Cli.Pki;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Provisioning;

/// <summary>
/// A real sshd on loopback, a fleet CA with the demo gateway's certificate, and an empty "image root" with the few
/// files a Raspberry Pi OS root has that provisioning reads or edits (passwd/group, os-release, boot config).
/// </summary>
public sealed class ProvisioningFixture : IAsyncDisposable
{
    public const string GatewayId = "cp-alpha-01";
    public const string OriginalConfigTxt = "# Raspberry Pi OS default\ndtparam=audio=on\n[pi4]\narm_boost=1\n";
    public const string OriginalCmdline = "console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait\n";

    private readonly TempDirectory _dir = new("provision");

    private ProvisioningFixture(SshServer ssh) => Ssh = ssh;

    public SshServer Ssh { get; }
    public string Root => _dir.File("root");
    public string CaDir => _dir.File("ca");
    public string CertDir => _dir.File("certs");
    public string Profile { get; } = Path.Combine(Repo.Folder("firmware-config/profiles"), "demo-checkpoint.json");

    public static async Task<ProvisioningFixture> StartAsync()
    {
        var fixture = new ProvisioningFixture(await SshServer.StartAsync());
        using (var ca = FleetCa.Init(fixture.CaDir, "Test fleet CA", TimeProvider.System))
            ca.Issue(new IssueRequest(GatewayId, CertificateRole.Gateway), fixture.CertDir);
        var etc = Directory.CreateDirectory(Path.Combine(fixture.Root, "etc")).FullName;
        await File.WriteAllTextAsync(Path.Combine(etc, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "group"), "root:x:0:\ndialout:x:20:\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "shadow"), "root:*:19000:0:99999:7:::\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "gshadow"), "root:*::\ndialout:*::\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
        var boot = Directory.CreateDirectory(Path.Combine(fixture.Root, "boot", "firmware")).FullName;
        await File.WriteAllTextAsync(Path.Combine(boot, "config.txt"), OriginalConfigTxt);
        await File.WriteAllTextAsync(Path.Combine(boot, "cmdline.txt"), OriginalCmdline);
        return fixture;
    }

    /// <summary>Runs <c>gatewayctl provision</c> in-process against the sshd, with the agent as built next to these tests.</summary>
    public (int Code, string Output, string Error) Provision(params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args =
        [
            "provision", SshServer.HostAlias, "--ssh-config", Ssh.ClientConfig, "--root", Root, "--profile", Profile,
            "--ca", CaDir, "--certs", CertDir, "--agent", Repo.AgentBuildOutput(), .. extra,
        ];
        var code = Gateway.Cli.GatewayCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>gatewayctl provision --package DEB</c> in-process against the sshd (no --agent).</summary>
    public (int Code, string Output, string Error) ProvisionPackage(string deb, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args =
        [
            "provision", SshServer.HostAlias, "--ssh-config", Ssh.ClientConfig, "--root", Root, "--profile", Profile,
            "--ca", CaDir, "--certs", CertDir, "--package", deb, .. extra,
        ];
        var code = Gateway.Cli.GatewayCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs any gatewayctl command in-process.</summary>
    public static (int Code, string Output, string Error) Ctl(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Gateway.Cli.GatewayCtl.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public string InRoot(string path) => Root + path;

    public async ValueTask DisposeAsync()
    {
        await Ssh.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>Folders of this repository, found from the test's output directory.</summary>
public static class Repo
{
    public static string Folder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(relative);
    }

    /// <summary>src/Gateway.Agent/bin/{same configuration as these tests}/net10.0: what `dotnet publish` would copy.</summary>
    public static string AgentBuildOutput()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dir = Path.Combine(Folder("src/Gateway.Agent"), "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(dir, "gateway-agent.dll"))) throw new FileNotFoundException($"the agent is not built in {dir}");
        return dir;
    }
}
