using System.Threading.Channels;
using Gateway.Hardware.Serial;

namespace Gateway.Devices.Tests.Support;

/// <summary>
/// A serial device that returns the given chunks, one per read, then 0 (gone). Paced, each read first signals
/// <see cref="ReadRequested"/> (the source has processed every chunk before it and re-armed its timers) and waits for
/// <see cref="Release"/>: the test decides when the receiver speaks and moves its clock in between, with no race.
/// </summary>
public sealed class ScriptedDevice(string path, IReadOnlyList<byte[]> chunks, bool paced = false) : SerialDevice
{
    private readonly Channel<bool> _released = Channel.CreateUnbounded<bool>();
    private int _next;

    public override string Path => path;

    /// <summary>Paced only: released once per read the source starts.</summary>
    public SemaphoreSlim ReadRequested { get; } = new(0);

    /// <summary>Paced only: lets one waiting (or the next) read return its chunk, or 0 after the last.</summary>
    public void Release() => _released.Writer.TryWrite(true);

    /// <summary>Paced only: waits (real time, bounded) until the source asks for the next chunk.</summary>
    public async Task WaitForReadAsync()
    {
        if (!await ReadRequested.WaitAsync(TimeSpan.FromSeconds(10)))
            Assert.Fail("the source did not come back for the next chunk within 10 s: it is stuck on the previous one");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (paced)
        {
            ReadRequested.Release();
            if (!await _released.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return 0; // disposed
            _released.Reader.TryRead(out _);
        }
        if (_next == chunks.Count) return 0;
        var chunk = chunks[_next++];
        chunk.CopyTo(buffer);
        return chunk.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A paced read waiting for <see cref="Release"/> returns 0, as a closed port's does.</summary>
    protected override ValueTask DisposeAsyncCore()
    {
        _released.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
