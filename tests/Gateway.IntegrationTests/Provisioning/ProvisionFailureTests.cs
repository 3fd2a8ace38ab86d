using System.Security.Cryptography;
using Gateway.IntegrationTests.Packaging;
using Gateway.TestKit.Faults;

namespace Gateway.IntegrationTests.Provisioning;

/// <summary>
/// Installs that cannot finish (issue 14, bad input), each with a message that says what is left on the gateway and
/// what to do: a disk too small for the package (refused before anything is sent), a package dpkg cannot unpack (dpkg
/// puts the installed version back), a maintainer script that fails (the new version is unpacked, not configured), and
/// a gateway that still has 0.1's layout provisioned without the package that would move its journal.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProvisionFailureTests
{
    [Fact]
    public async Task Provision_TargetWith01Layout_WithoutThePackage_IsRefusedBeforeAnythingIsWritten()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        Directory.CreateDirectory(f.InRoot("/var/lib/gateway-agent"));

        var (code, output, error) = f.Provision();

        Assert.Equal(1, code);
        Assert.Contains("still has gateway-agent 0.1's layout (/var/lib/gateway-agent)", error);
        Assert.Contains("provision it once with --package", error);
        Assert.DoesNotContain("[4/", output);
        Assert.False(File.Exists(f.InRoot("/etc/gateway/profile.json")), "files were written although provisioning was refused");
    }

    [RootFact]
    public async Task ProvisionPackage_DiskTooSmall_IsRefusedInStep2_NothingChanged()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        await using var f = await ProvisioningFixture.StartAsync();
        // The fixture's image, moved onto a 24 MiB disk: the package needs 4 times its size plus 32 MiB free.
        var saved = f.Root + ".saved";
        Directory.Move(f.Root, saved);
        using var disk = FaultMounts.Tmpfs(f.Root, "24m", 4096);
        FaultMounts.Run("cp", "-a", saved + "/.", f.Root);
        MinimalImage.AddDpkgDatabase(f.Root, "arm64");

        var (code, output, error) = f.ProvisionPackage(deb, "--arch", "arm64");

        Assert.Equal(1, code);
        Assert.Matches(@"step 2: .* has \d+ MiB free; installing the package needs \d+ MiB\. Free space .* nothing was changed", error);
        Assert.DoesNotContain("[4/", output);
        Assert.False(File.Exists(f.InRoot("/usr/bin/gateway-agent")), "the package was installed although it was refused");
    }

    [RootFact]
    public async Task ProvisionPackage_ArchiveCutShort_DpkgPutsBackTheInstalledVersion_AndSaysSo()
    {
        var deb = await DebianPackages.GetAsync("gateway-agent", "arm64");
        await using var f = await ProvisioningFixture.StartAsync();
        MinimalImage.AddDpkgDatabase(f.Root, "arm64");
        var first = f.ProvisionPackage(deb, "--arch", "arm64");
        Assert.True(first.Code == 0, first.Output + first.Error);
        var agent = f.InRoot("/usr/bin/gateway-agent");
        var before = SHA256.HashData(await File.ReadAllBytesAsync(agent));

        // A copy cut off in transfer: the control member is whole, the program's data member is not.
        var cut = Path.Combine(Path.GetDirectoryName(f.Root)!, Path.GetFileName(deb));
        var bytes = await File.ReadAllBytesAsync(deb);
        await File.WriteAllBytesAsync(cut, bytes.AsSpan(0, bytes.Length * 2 / 3).ToArray());
        var (code, output, error) = f.ProvisionPackage(cut, "--arch", "arm64");

        Assert.Equal(1, code);
        Assert.True(error.Contains("dpkg put back gateway-agent 0.", StringComparison.Ordinal), error);
        Assert.Contains("which is unchanged and still runs", error);
        Assert.DoesNotContain("installed gateway-agent", output);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(agent)));
    }

    [RootFact]
    public async Task ProvisionPackage_PostinstFails_SaysTheNewVersionIsUnpackedButNotConfigured()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        MinimalImage.AddDpkgDatabase(f.Root, "arm64");
        // The real package whose postinst fails as one would on a gateway whose disk filled up in the middle of it.
        var deb = await WithFailingPostinstAsync(await DebianPackages.GetAsync("gateway-agent", "arm64"), Path.GetDirectoryName(f.Root)!);

        var (code, output, error) = f.ProvisionPackage(deb, "--arch", "arm64");

        Assert.Equal(1, code);
        Assert.True(error.Contains("dpkg unpacked gateway-agent 0.", StringComparison.Ordinal), error);
        Assert.Contains("but its configuration failed (above): fix that cause and run provision again", error);
        Assert.Contains("No space left on device", error);
        Assert.DoesNotContain("installed gateway-agent", output);
        // Provision stops at the package: the gateway's own profile is not written beside a half-configured agent.
        Assert.DoesNotContain(ProvisioningFixture.GatewayId, await File.ReadAllTextAsync(f.InRoot("/etc/gateway/profile.json")));
    }

    private static async Task<string> WithFailingPostinstAsync(string deb, string workDirectory)
    {
        var tree = Path.Combine(workDirectory, "failing-postinst");
        var (code, output) = await DebianPackages.RunAsync("dpkg-deb", ["--raw-extract", deb, tree]);
        Assert.True(code == 0, output);
        var postinst = Path.Combine(tree, "DEBIAN/postinst");
        var text = await File.ReadAllTextAsync(postinst);
        await File.WriteAllTextAsync(postinst, text.Replace("set -e\n", "set -e\necho 'install: cannot create directory /var/lib/gateway: No space left on device' >&2; exit 1\n", StringComparison.Ordinal));
        var result = Path.Combine(workDirectory, Path.GetFileName(deb));
        (code, output) = await DebianPackages.RunAsync("dpkg-deb", ["--root-owner-group", "-Znone", "--build", tree, result]);
        Assert.True(code == 0, output);
        return result;
    }
}
