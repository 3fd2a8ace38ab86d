using Gateway.Hardware.Serial;

namespace Gateway.Agent.Composition;

/// <summary>Opens the serial port on first use, so a missing port fails the GPS source (restarted with backoff) rather than the agent.</summary>
internal sealed class DeferredSerialDevice(Func<SerialDevice> open, string path) : SerialDevice
{
    private SerialDevice? _device;

    public override string Path => _device?.Path ?? path;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        (_device ??= open()).ReadAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        (_device ??= open()).WriteAsync(buffer, cancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_device is not null) await _device.DisposeAsync().ConfigureAwait(false);
    }
}
