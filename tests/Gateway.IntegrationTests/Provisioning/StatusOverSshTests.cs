using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Provisioning;

/// <summary><c>gatewayctl status</c> and <c>logs</c> against a real sshd on a target without systemd (the sandbox).</summary>
public sealed class StatusOverSshTests
{
    [Fact]
    public async Task Status_WithoutSystemd_SaysSo_AndStillReportsDisk()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        var (code, output, error) = GatewayCtlRunner.Run("status", Gateway.TestKit.Servers.SshServer.HostAlias, "--ssh-config", f.Ssh.ClientConfig);
        Assert.True(code == 0, output + error);
        Assert.Contains("no running systemd", output);
        Assert.Matches(@"disk:\s+\d+ MiB free of \d+ MiB", output);
        Assert.Contains("uplink:      no /run/gateway-agent/status.json", output);
    }

    [Fact]
    public async Task Logs_WithoutSystemd_FailsWithTheReason()
    {
        await using var f = await ProvisioningFixture.StartAsync();
        var (code, _, error) = GatewayCtlRunner.Run("logs", Gateway.TestKit.Servers.SshServer.HostAlias, "--ssh-config", f.Ssh.ClientConfig, "-n", "5");
        Assert.Equal(1, code);
        Assert.Contains("no running systemd journal", error);
    }
}
