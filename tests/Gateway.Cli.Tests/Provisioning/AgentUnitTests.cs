using Gateway.Cli.Provisioning;
using Gateway.TestKit.Data;

namespace Gateway.Cli.Tests.Provisioning;

public sealed class AgentUnitTests
{
    [Fact]
    public void DeployedUnit_IsWhatProvisionGeneratesForTheDemoProfile()
    {
        var needs = ProfileHardware.Read(TestProfiles.Shipped("demo-checkpoint.json"));
        var generated = AgentUnit.Render(ProfileHardware.Devices(needs), ProfileHardware.Groups(needs));
        var path = Path.Combine(RepositoryRoot.Folder("deploy/systemd"), "gateway-agent.service");
        // After a deliberate change to AgentUnit: UPDATE_GOLDEN=1 dotnet test tests/Gateway.Cli.Tests rewrites the file.
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1") File.WriteAllText(path, generated);
        Assert.Equal(generated, File.ReadAllText(path));
    }

    [Fact]
    public void Unit_HasTheHardeningTheIssueAsksFor()
    {
        var unit = AgentUnit.Render(["/dev/ttyUSB0", "/dev/spidev0.0"], ["dialout", "spi"]);
        foreach (var line in new[]
                 {
                     "Type=notify", "User=gateway", "Restart=always", "WatchdogSec=30", "ProtectSystem=strict", "ProtectHome=yes",
                     "NoNewPrivileges=yes", "PrivateTmp=yes", "DevicePolicy=closed", "StateDirectory=gateway",
                     "DeviceAllow=/dev/ttyUSB0 rw", "DeviceAllow=/dev/spidev0.0 rw", "SupplementaryGroups=dialout spi", "WantedBy=multi-user.target",
                 })
            Assert.Contains(line + "\n", unit, StringComparison.Ordinal);
        Assert.DoesNotContain(unit.Split('\n'), l => l.StartsWith("MemoryDenyWriteExecute=", StringComparison.Ordinal));
        Assert.Equal(2, unit.Split('\n').Count(l => l.StartsWith("DeviceAllow=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unit_ForAGpsWithAPpsLine_AllowsItsGpioChip()
    {
        var needs = ProfileHardware.Read(TestProfiles.WithSources("""{ "type": "gps", "name": "gps", "device": "/dev/ttyACM0", "pps": { "gpioChip": 0, "line": 18 } }"""));
        var unit = AgentUnit.Render(ProfileHardware.Devices(needs), ProfileHardware.Groups(needs));
        Assert.Contains("DeviceAllow=/dev/ttyACM0 rw\nDeviceAllow=/dev/gpiochip0 rw\n", unit, StringComparison.Ordinal);
        Assert.Contains("SupplementaryGroups=dialout gpio\n", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_WithoutDevices_AllowsNone()
    {
        var unit = AgentUnit.Render([], []);
        Assert.DoesNotContain("DeviceAllow=", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("SupplementaryGroups=", unit, StringComparison.Ordinal);
        Assert.Contains("DevicePolicy=closed\n", unit, StringComparison.Ordinal);
    }
}
