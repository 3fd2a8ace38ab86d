using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Tests.Interop;

public sealed class DeviceHandleTests
{
    private static readonly DeviceErrorHints Hints = new("dialout", "enable the UART overlay (firmware-config/raspberrypi/)");

    [Fact]
    public void Open_MissingDevice_NamesPathErrnoAndTheFix()
    {
        var ex = Assert.Throws<IOException>(() => DeviceHandle.Open("/dev/does-not-exist-42", Libc.O_RDWR, Hints));
        Assert.Contains("/dev/does-not-exist-42: open failed with ENOENT", ex.Message);
        Assert.Contains("UART overlay", ex.Message);
    }

    [Fact]
    public unsafe void Open_DevNull_ReadsEndOfFileAndClosesOnce()
    {
        var handle = DeviceHandle.Open("/dev/null", Libc.O_RDWR, Hints);
        Assert.False(handle.IsInvalid);
        byte b;
        Assert.Equal(0, Libc.read(handle.Fd, &b, 1));
        handle.Dispose();
        handle.Dispose();
        Assert.True(handle.IsClosed);
    }

    [Theory]
    [InlineData(Libc.EACCES, "'dialout' group")]
    [InlineData(Libc.EBUSY, "busy")]
    [InlineData(Libc.EREMOTEIO, "did not answer")]
    [InlineData(999, "errno 999")]
    public void Create_Errno_GivesAdvice(int errno, string expected) =>
        Assert.Contains(expected, DeviceErrors.Create("/dev/x", "ioctl(I2C_RDWR)", errno, Hints).Message);
}
