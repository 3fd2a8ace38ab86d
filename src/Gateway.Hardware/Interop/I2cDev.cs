using System.Runtime.InteropServices;
using Gateway.Core.Interop;

namespace Gateway.Hardware.Interop;

/// <summary>
/// The i2c-dev uAPI (include/uapi/linux/i2c-dev.h, include/uapi/linux/i2c.h), names kept verbatim. The requests go
/// through <see cref="Libc.ioctl(int, nuint, nint)"/>; they are plain numbers, not _IOC encodings (i2c-dev predates them).
/// </summary>
internal static class I2cDev
{
    /// <summary>I2C_SLAVE: set the 7-bit address that plain read(2)/write(2) use.</summary>
    internal const uint I2C_SLAVE = 0x0703;

    /// <summary>I2C_FUNCS: get the adapter's functionality mask (unsigned long).</summary>
    internal const uint I2C_FUNCS = 0x0705;

    /// <summary>I2C_RDWR: combined transfer of several messages with repeated starts (struct i2c_rdwr_ioctl_data).</summary>
    internal const uint I2C_RDWR = 0x0707;

    /// <summary>i2c.h I2C_M_RD: this message reads from the device.</summary>
    internal const ushort I2C_M_RD = 0x0001;

    /// <summary>i2c-dev.h I2C_RDWR_IOCTL_MAX_MSGS: the most messages one I2C_RDWR carries.</summary>
    internal const int I2C_RDWR_IOCTL_MAX_MSGS = 42;

#pragma warning disable CS8981, IDE1006 // kernel names kept verbatim (STYLE.md habit 4)
    /// <summary>struct i2c_msg (i2c.h): 16 bytes on 64-bit ABIs (buf is a pointer), 12 on 32-bit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct i2c_msg
    {
        public ushort addr;
        public ushort flags;
        public ushort len;
        public byte* buf;
    }

    /// <summary>struct i2c_rdwr_ioctl_data (i2c-dev.h): the message array and its length (a __u32).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct i2c_rdwr_ioctl_data
    {
        public i2c_msg* msgs;
        public uint nmsgs;
    }
#pragma warning restore CS8981, IDE1006
}
