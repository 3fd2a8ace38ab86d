using System.Runtime.InteropServices;
using Gateway.Core.Interop;

namespace Gateway.Hardware.Interop;

/// <summary>
/// An eventfd(2) that a blocked poll(2) waits on beside the device, so that cancellation or disposal wakes the waiter
/// at once (the "cancellation pipe" of a blocking reader) instead of after a poll slice. <see cref="Signal"/> makes
/// it readable, <see cref="Drain"/> makes it quiet again. One waiter at a time per handle; the SafeHandle reference
/// count keeps the descriptor open while a poll or a late cancellation callback still uses it.
/// </summary>
internal sealed class WakeHandle : SafeHandle
{
    public WakeHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        var fd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (fd < 0) throw SyscallError.Last("eventfd", "eventfd(2)", "the process may have run out of file descriptors (ulimit -n)");
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor to poll for POLLIN; valid while the caller holds a reference (DangerousAddRef).</summary>
    public int Fd => (int)handle;

    /// <summary>Wakes the waiter. Safe from any thread, also from a cancellation callback; a no-op once disposed.</summary>
    public unsafe void Signal()
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            ulong one = 1;
            // EFD_NONBLOCK: cannot block; it fails only with the counter at 2^64-2, when the waiter is awake anyway.
            _ = Libc.write(Fd, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Disposed: nobody waits any more.
        }
        finally
        {
            if (added) DangerousRelease();
        }
    }

    /// <summary>Resets the counter so that the next poll waits again (caller holds a reference).</summary>
    public unsafe void Drain()
    {
        ulong value;
        _ = Libc.read(Fd, (byte*)&value, sizeof(ulong)); // EAGAIN when already quiet: nothing to reset
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
