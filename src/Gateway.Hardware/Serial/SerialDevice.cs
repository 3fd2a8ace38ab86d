namespace Gateway.Hardware.Serial;

/// <summary>
/// A byte stream to a serial device (a GPS receiver on a UART). Drivers read through this abstract class; the termios
/// implementation opens a real port and the simulation produces a receiver's bytes, so both run the same driver code.
/// </summary>
public abstract class SerialDevice : IAsyncDisposable
{
    /// <summary>The device path or a simulation's name, for messages.</summary>
    public abstract string Path { get; }

    /// <summary>
    /// Reads at least one byte into <paramref name="buffer"/> and returns how many; 0 means the device is gone
    /// (unplugged, closed). The bytes are the caller's once returned.
    /// </summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="buffer"/> (receiver configuration commands).</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Closes the device; a read waiting on it returns 0. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Where a subclass closes what it holds and wakes its waiting reader.</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
