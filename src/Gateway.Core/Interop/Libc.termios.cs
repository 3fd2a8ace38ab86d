using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    // asm-generic/termbits.h (x86_64, arm, arm64: the same values). Octal in the header; hex here.
    internal const uint CSIZE = 0x30, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, HUPCL = 0x400, CLOCAL = 0x800;
    internal const uint CRTSCTS = 0x80000000;
    internal const int VTIME = 5, VMIN = 6;
    internal const int TCSANOW = 0;
    internal const int TCIFLUSH = 0;

    /// <summary>
    /// Baud-rate codes (termbits.h <c>B4800</c>...<c>B921600</c>): the kernel takes codes, not numbers. The profile's
    /// baud rate is checked against this table, so an unsupported rate fails at start, not at open.
    /// </summary>
    internal static bool TryBaudCode(int baud, out uint code)
    {
        code = baud switch
        {
            4800 => 0xC, 9600 => 0xD, 19200 => 0xE, 38400 => 0xF,
            57600 => 0x1001, 115200 => 0x1002, 230400 => 0x1003, 460800 => 0x1004, 500000 => 0x1005, 576000 => 0x1006, 921600 => 0x1007,
            _ => 0,
        };
        return code != 0;
    }

    /// <summary>struct termios as glibc lays it out (bits/termios-struct.h): 60 bytes on every Linux ABI we run on.</summary>
#pragma warning disable CS8981 // the kernel's lower-case struct name, kept verbatim (STYLE.md habit 4)
    [StructLayout(LayoutKind.Sequential)]
    internal struct termios
    {
        public uint c_iflag;
        public uint c_oflag;
        public uint c_cflag;
        public uint c_lflag;
        public byte c_line;
        public ControlChars c_cc;
        public uint c_ispeed;
        public uint c_ospeed;
    }
#pragma warning restore CS8981

    /// <summary>cc_t c_cc[NCCS] with NCCS = 32.</summary>
    [InlineArray(32)]
    internal struct ControlChars
    {
        private byte _element0;
    }
}
