using Gateway.Core.Interop;
using Gateway.Hardware.Clock;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Tests.Clock;

/// <summary>The adjtimex(2) binding, checked against the status bits the kernel returns in the same call.</summary>
public sealed class KernelClockTests
{
    // include/uapi/linux/timex.h
    private const int STA_UNSYNC = 0x0040;
    private const int STA_CLOCKERR = 0x1000;

    [Fact]
    public unsafe void IsSynchronized_AgreesWithTheKernelsUnsyncStatusBit()
    {
        byte* timex = stackalloc byte[Libc.TimexBufferSize];
        new Span<byte>(timex, Libc.TimexBufferSize).Clear();
        int state = Libc.adjtimex(timex);
        Assert.InRange(state, Libc.TIME_OK, Libc.TIME_ERROR);
        // 64-bit struct timex: unsigned int modes (+4 padding), long offset, freq, maxerror, esterror, then int status.
        // (On 32-bit ARM longs are 4 bytes and status sits at 20.)
        int status = *(int*)(timex + (Environment.Is64BitProcess ? 40 : 20));
        bool unsync = (status & (STA_UNSYNC | STA_CLOCKERR)) != 0;
        // kernel/time/ntp.c: an unsynchronised or erroneous clock always reports TIME_ERROR.
        if (unsync) Assert.Equal(Libc.TIME_ERROR, state);
        Assert.Equal(state != Libc.TIME_ERROR, KernelClock.IsSynchronized());
    }
}
