using Gateway.IntegrationTests.Packaging;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Provisioning;

/// <summary>
/// `gatewayctl provision --package` (issue 14 item 4): from this x86-64 machine into an arm64 image root with
/// --root DIR --arch arm64, the gateway-agent package installed by dpkg with the gateway's profile, keys and unit;
/// a second run changes nothing; a package for the wrong architecture is refused before anything is sent.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProvisionPackageTests
{
    [Fact]
    public async Task ProvisionPackage_IntoArm64Image_InstallsWithDpkg_ThenChangesNothing()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        await using var f = await ProvisioningFixture.StartAsync();
        MinimalImage.AddDpkgDatabase(f.Root, "arm64");

        var (code, output, error) = f.ProvisionPackage(deb, "--arch", "arm64");
        Assert.True(code == 0, output + error);
        Assert.Contains("installed gateway-agent", output);
        var status = await File.ReadAllTextAsync(f.InRoot("/var/lib/dpkg/status"));
        Assert.Matches(@"Package: gateway-agent\nStatus: install ok installed", status);
        Assert.True(File.Exists(f.InRoot("/usr/bin/gateway-agent")), "dpkg did not install /usr/bin/gateway-agent");
        Assert.False(Directory.Exists(f.InRoot("/opt/gateway-agent")), "the package install also copied an agent to /opt");
        var unit = await File.ReadAllTextAsync(f.InRoot("/etc/systemd/system/gateway-agent.service"));
        Assert.Contains("ExecStart=/usr/bin/gateway-agent --profile /etc/gateway/profile.json\n", unit);
        // The gateway's own profile replaced the package's example (a conffile dpkg keeps from now on).
        Assert.Contains(ProvisioningFixture.GatewayId, await File.ReadAllTextAsync(f.InRoot("/etc/gateway/profile.json")));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(f.CertDir, $"{ProvisioningFixture.GatewayId}.key")), await File.ReadAllTextAsync(f.InRoot("/etc/gateway/tls/gateway.key")));
        Assert.Contains("dtoverlay=w1-gpio,gpiopin=26\n", await File.ReadAllTextAsync(f.InRoot("/boot/firmware/config.txt")));

        var again = f.ProvisionPackage(deb, "--arch", "arm64");
        Assert.True(again.Code == 0, again.Output + again.Error);
        Assert.Contains("files: all", again.Output);
        Assert.DoesNotContain("installed gateway-agent", again.Output);
    }

    [Fact]
    public async Task ProvisionPackage_ForAnotherArchitecture_IsRefusedBeforeAnythingIsSent()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        await using var f = await ProvisioningFixture.StartAsync();
        MinimalImage.AddDpkgDatabase(f.Root, "amd64");

        var (code, output, error) = f.ProvisionPackage(deb, "--arch", "amd64");
        Assert.Equal(1, code);
        Assert.Contains("is built for arm64 but", error);
        Assert.Contains("deploy/package/build.sh --package gateway-agent --arch amd64", error);
        Assert.DoesNotContain("[4/", output);
        Assert.False(File.Exists(f.InRoot("/etc/gateway/profile.json")), "files were written although the package was refused");
    }

    [Fact]
    public async Task Provision_WithNeitherOrBothOfAgentAndPackage_SaysWhichToPass()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        var (code, _, error) = GatewayCtlRunner.Run("provision", SshServer.HostAlias, "--ssh-config", f.Ssh.ClientConfig, "--root", f.Root,
            "--profile", f.Profile, "--ca", f.CaDir, "--certs", f.CertDir);
        Assert.Equal(1, code);
        Assert.Contains("pass exactly one of --package FILE.deb", error);
    }
}
