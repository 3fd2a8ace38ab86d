namespace Gateway.Hardware.Interop;

/// <summary>
/// The kernel's ioctl request encoding, asm-generic/ioctl.h (x86, arm and arm64 use the generic layout):
/// bits 0-7 number, 8-15 type, 16-29 argument size, 30-31 direction.
/// </summary>
internal static class IoctlNumber
{
    private const int NrBits = 8;
    private const int TypeBits = 8;
    private const int SizeBits = 14;
    private const int NrShift = 0;
    private const int TypeShift = NrShift + NrBits;
    private const int SizeShift = TypeShift + TypeBits;
    private const int DirShift = SizeShift + SizeBits;

    private const uint None = 0;
    private const uint Write = 1;
    private const uint Read = 2;

    /// <summary>_IO(type, nr)</summary>
    public static nuint Io(char type, int nr) => Encode(None, type, nr, 0);

    /// <summary>_IOR(type, nr, size)</summary>
    public static nuint IoR(char type, int nr, int size) => Encode(Read, type, nr, size);

    /// <summary>_IOW(type, nr, size)</summary>
    public static nuint IoW(char type, int nr, int size) => Encode(Write, type, nr, size);

    /// <summary>_IOWR(type, nr, size)</summary>
    public static nuint IoWR(char type, int nr, int size) => Encode(Read | Write, type, nr, size);

    private static nuint Encode(uint dir, char type, int nr, int size)
    {
        if (size < 0 || size >= 1 << SizeBits) throw new ArgumentOutOfRangeException(nameof(size), size, "ioctl argument size does not fit 14 bits");
        return (nuint)((dir << DirShift) | ((uint)size << SizeShift) | ((uint)type << TypeShift) | ((uint)nr << NrShift));
    }
}
