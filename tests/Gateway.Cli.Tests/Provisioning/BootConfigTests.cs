using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Tests.Provisioning;

public sealed class BootConfigTests
{
    private static readonly (string, string)[] Uart = [("interface-uart.txt", "# why\nenable_uart=1\ndtoverlay=disable-bt\n")];
    private static readonly (string, string)[] UartAndI2c = [.. Uart, ("interface-i2c.txt", "dtparam=i2c_arm=on\n")];

    [Fact]
    public void ManagedBlock_IsAppendedAfterTheOwnersLines_InAnAllSection()
    {
        var result = BootConfig.WithManagedBlock("dtparam=audio=on\n[pi4]\narm_boost=1\n", Uart);
        Assert.Equal($"dtparam=audio=on\n[pi4]\narm_boost=1\n\n{BootConfig.Begin}\n[all]\n# from firmware-config/raspberrypi/interface-uart.txt\nenable_uart=1\ndtoverlay=disable-bt\n{BootConfig.End}\n", result);
    }

    [Fact]
    public void ManagedBlock_AppliedTwice_IsUnchanged()
    {
        var once = BootConfig.WithManagedBlock("a=1\n", UartAndI2c);
        Assert.Equal(once, BootConfig.WithManagedBlock(once, UartAndI2c));
    }

    [Fact]
    public void ManagedBlock_IsReplacedWhenTheNeedsChange_AndRemovedWhenNoneRemain()
    {
        var both = BootConfig.WithManagedBlock("a=1\n", UartAndI2c);
        var uartOnly = BootConfig.WithManagedBlock(both, Uart);
        Assert.DoesNotContain("i2c_arm", uartOnly, StringComparison.Ordinal);
        Assert.Single(uartOnly.Split('\n'), l => l == BootConfig.End);
        Assert.Equal("a=1\n", BootConfig.WithManagedBlock(uartOnly, []));
    }

    [Fact]
    public void ManagedBlock_KeepsLinesAfterIt_AndHandlesCrLf()
    {
        var withBlock = BootConfig.WithManagedBlock("a=1\n", Uart) + "b=2\n";
        var result = BootConfig.WithManagedBlock(withBlock.Replace("\n", "\r\n", StringComparison.Ordinal), Uart);
        Assert.Contains("b=2\n", result, StringComparison.Ordinal);
        Assert.Single(result.Split('\n'), l => l == "enable_uart=1");
    }

    [Theory]
    [InlineData("console=serial0,115200 console=tty1 root=PARTUUID=x rootwait\n", "console=tty1 root=PARTUUID=x rootwait\n")]
    [InlineData("console=ttyAMA0,115200 console=tty1 rootwait", "console=tty1 rootwait\n")]
    [InlineData("console=ttyS0,115200 quiet", "quiet\n")]
    [InlineData("console=tty1 rootwait\n", "console=tty1 rootwait\n")]
    public void SerialConsole_IsRemoved_OtherParametersKept(string cmdline, string expected) =>
        Assert.Equal(expected, BootConfig.WithoutSerialConsole(cmdline));
}
