using System.Runtime.CompilerServices;
using Gateway.Hardware.I2c;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Tests.I2c;

/// <summary>i2c-dev structs and requests against include/uapi/linux/i2c.h and i2c-dev.h (gcc sizeof/offsetof, x86_64).</summary>
public sealed unsafe class I2cDevLayoutTests
{
    [Fact]
    public void I2cMsg_SizeAndOffsets_MatchKernelHeader()
    {
        // __u16 addr, flags, len; __u8 *buf: 16 bytes with 8-byte pointers, 12 with 4-byte ones.
        Assert.Equal(IntPtr.Size == 8 ? 16 : 12, Unsafe.SizeOf<I2cDev.i2c_msg>());
        var m = default(I2cDev.i2c_msg);
        var b = (byte*)&m;
        Assert.Equal(2, (byte*)&m.flags - b);
        Assert.Equal(4, (byte*)&m.len - b);
        Assert.Equal(IntPtr.Size, (byte*)&m.buf - b);
    }

    [Fact]
    public void RdwrIoctlData_Size_MatchesKernelHeader()
    {
        Assert.Equal(IntPtr.Size == 8 ? 16 : 8, Unsafe.SizeOf<I2cDev.i2c_rdwr_ioctl_data>());
        var d = default(I2cDev.i2c_rdwr_ioctl_data);
        Assert.Equal(IntPtr.Size, (byte*)&d.nmsgs - (byte*)&d);
    }

    [Fact]
    public void RequestNumbers_MatchKernelHeader()
    {
        Assert.Equal(0x0703u, I2cDev.I2C_SLAVE);
        Assert.Equal(0x0705u, I2cDev.I2C_FUNCS);
        Assert.Equal(0x0707u, I2cDev.I2C_RDWR);
        Assert.Equal(0x0001, I2cDev.I2C_M_RD);
        Assert.Equal(42, I2cDev.I2C_RDWR_IOCTL_MAX_MSGS);
    }

    [Fact]
    public void CreateDevice_MissingBus_NamesTheI2cGroupsOverlay()
    {
        var bus = new UnixI2cBus(97, "/dev/i2c-test-missing-");
        var ex = Assert.Throws<IOException>(() => bus.CreateDevice(0x76));
        Assert.Contains("/dev/i2c-test-missing-97: open failed with ENOENT", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dtparam=i2c_arm=on", ex.Message, StringComparison.Ordinal);
        Assert.Contains("firmware-config/raspberrypi/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDevice_NotAnI2cDevice_SaysTheDeviceRefused()
    {
        // /dev/null accepts open but refuses the I2C_SLAVE ioctl (ENOTTY): the message says what that means.
        var ex = Assert.Throws<IOException>(() => new UnixI2cDevice("/dev/null", new I2cConnectionSettings(0, 0x40)));
        Assert.Contains("ioctl(I2C_SLAVE)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("address 0x40", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x78)]
    [InlineData(-1)]
    public void ValidateAddress_Reserved_IsRejected(int address) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => I2cBus.ValidateAddress(address));
}
