using Gateway.Core.Interop;

namespace Gateway.Hardware.Interop;

/// <summary>What to tell the engineer when a device of one kind cannot be used (STYLE.md habit 9: say what to do next).</summary>
/// <param name="Group">The Unix group that grants access, e.g. <c>dialout</c>, <c>i2c</c>, <c>spi</c>, <c>gpio</c>.</param>
/// <param name="Missing">How to make a missing device appear, e.g. the overlay to enable in firmware-config/raspberrypi/.</param>
internal sealed record DeviceErrorHints(string Group, string Missing);

/// <summary>
/// The advice for an errno from a device system call; the exception itself (one <see cref="IOException"/>, the only
/// type the hardware layer throws for device trouble, naming the device, the call and the errno) is
/// <see cref="SyscallError"/>'s, the one errno mapping.
/// </summary>
internal static class DeviceErrors
{
    public static IOException Create(string path, string operation, int errno, DeviceErrorHints hints) =>
        SyscallError.Create(path, operation, errno, Advice(errno, hints));

    private static string Advice(int errno, DeviceErrorHints hints) => errno switch
    {
        Libc.EACCES or Libc.EPERM => $"permission denied: run the agent as a member of the '{hints.Group}' group (gatewayctl provision does this), or check the device's mode",
        Libc.ENOENT or Libc.ENODEV or Libc.ENXIO => $"the device does not exist: {hints.Missing}",
        Libc.EBUSY => "the device is busy: another process (a getty on the UART, another agent, gpsd) holds it; stop that process",
        Libc.EREMOTEIO or Libc.EIO or Libc.ETIMEDOUT => "the device did not answer: check wiring, power and the address in the profile",
        Libc.ENOTTY or Libc.EINVAL => "the device refused the request: it is not the kind of device the profile says it is, or the kernel is too old",
        _ => "see the man page of the call for this errno",
    };
}
