using Gateway.Hardware.Serial;

namespace Gateway.Devices.Tests.Support;

/// <summary>A serial device that returns the given chunks, one per read, then 0 (gone).</summary>
public sealed class ScriptedDevice(string path, IReadOnlyList<byte[]> chunks) : SerialDevice
{
    private int _next;

    public override string Path => path;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_next == chunks.Count) return ValueTask.FromResult(0);
        var chunk = chunks[_next++];
        chunk.CopyTo(buffer);
        return ValueTask.FromResult(chunk.Length);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
