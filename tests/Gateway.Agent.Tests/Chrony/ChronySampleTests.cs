using System.Runtime.InteropServices;
using Gateway.Agent.Chrony;

namespace Gateway.Agent.Tests.Chrony;

/// <summary>chrony's <c>struct sock_sample</c> as chronyd reads it on this machine (refclock_sock.c).</summary>
public sealed class ChronySampleTests
{
    [Fact]
    public void Layout_IsChronysOnA64BitLinux()
    {
        Assert.Equal(8, IntPtr.Size); // the reference build is arm64; x86-64 has the same layout
        Assert.Equal(40, ChronySample.Size);
        var sample = ChronySample.At(new DateTimeOffset(2026, 12, 5, 12, 0, 0, 250, TimeSpan.Zero).AddTicks(1234), -0.5, pulse: true, leap: 1);
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<ChronySample>(ref sample)).ToArray();
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), BitConverter.ToInt64(bytes, 0)); // tv_sec
        Assert.Equal(250_123, BitConverter.ToInt64(bytes, 8));  // tv_usec
        Assert.Equal(-0.5, BitConverter.ToDouble(bytes, 16));    // offset
        Assert.Equal(1, BitConverter.ToInt32(bytes, 24));        // pulse
        Assert.Equal(1, BitConverter.ToInt32(bytes, 28));        // leap
        Assert.Equal(0, BitConverter.ToInt32(bytes, 32));        // _pad
        Assert.Equal(0x534f434b, BitConverter.ToInt32(bytes, 36)); // magic "SOCK"
    }
}
