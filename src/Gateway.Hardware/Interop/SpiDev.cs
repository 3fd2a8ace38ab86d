using System.Runtime.InteropServices;

namespace Gateway.Hardware.Interop;

/// <summary>
/// The spidev uAPI (include/uapi/linux/spi/spidev.h and spi.h), names kept verbatim. Requests are _IOC encodings of
/// type 'k' built with <see cref="IoctlNumber"/>.
/// </summary>
internal static class SpiDev
{
    private const char SPI_IOC_MAGIC = 'k';

    /// <summary>SPI_IOC_WR_MODE: _IOW('k', 1, __u8), clock polarity and phase (SPI_MODE_0..3).</summary>
    internal static readonly nuint SPI_IOC_WR_MODE = IoctlNumber.IoW(SPI_IOC_MAGIC, 1, 1);

    /// <summary>SPI_IOC_RD_MODE: _IOR('k', 1, __u8).</summary>
    internal static readonly nuint SPI_IOC_RD_MODE = IoctlNumber.IoR(SPI_IOC_MAGIC, 1, 1);

    /// <summary>SPI_IOC_WR_BITS_PER_WORD: _IOW('k', 3, __u8).</summary>
    internal static readonly nuint SPI_IOC_WR_BITS_PER_WORD = IoctlNumber.IoW(SPI_IOC_MAGIC, 3, 1);

    /// <summary>SPI_IOC_WR_MAX_SPEED_HZ: _IOW('k', 4, __u32).</summary>
    internal static readonly nuint SPI_IOC_WR_MAX_SPEED_HZ = IoctlNumber.IoW(SPI_IOC_MAGIC, 4, 4);

    /// <summary>Size of struct spi_ioc_transfer: 32 bytes on every ABI (pointers are carried in __u64).</summary>
    internal const int TransferSize = 32;

    /// <summary>SPI_IOC_MESSAGE(n): _IOW('k', 0, char[n * sizeof(struct spi_ioc_transfer)]).</summary>
    internal static nuint SPI_IOC_MESSAGE(int n) => IoctlNumber.IoW(SPI_IOC_MAGIC, 0, n * TransferSize);

#pragma warning disable CS8981, IDE1006 // kernel names kept verbatim (STYLE.md habit 4)
    /// <summary>
    /// struct spi_ioc_transfer (spidev.h): one full-duplex segment. tx_buf/rx_buf are user pointers widened to __u64 so
    /// the layout is the same for 32- and 64-bit processes.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct spi_ioc_transfer
    {
        public ulong tx_buf;
        public ulong rx_buf;
        public uint len;
        public uint speed_hz;
        public ushort delay_usecs;
        public byte bits_per_word;
        public byte cs_change;
        public byte tx_nbits;
        public byte rx_nbits;
        public byte word_delay_usecs;
        public byte pad;
    }
#pragma warning restore CS8981, IDE1006
}
