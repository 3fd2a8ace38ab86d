namespace Gateway.Hardware.Gpio;

/// <summary>
/// A GPIO controller (the N of <c>/dev/gpiochipN</c>). Lines are requested in groups and owned by the request until it
/// is disposed, as in the kernel's v2 uAPI. Drivers take this abstract class (STYLE.md habit 2); the character-device
/// implementation (<see cref="UnixGpioChip"/>) and the simulation both derive from it.
/// </summary>
public abstract class GpioChip : IDisposable
{
    /// <summary>The chip's name, e.g. <c>gpiochip0</c>, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>How many lines the chip has (offsets are 0..LineCount-1).</summary>
    public abstract int LineCount { get; }

    /// <summary>Requests lines; throws an <see cref="IOException"/> naming the chip and the line when they are taken or absent. Caller disposes.</summary>
    public abstract GpioLineRequest RequestLines(GpioRequestOptions options);

    /// <summary>Releases the chip (its file descriptor); lines already requested stay with their requests; idempotent.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Where a subclass releases what it holds (a descriptor, a simulation's state); <paramref name="disposing"/> is
    /// false only from a finalizer, where managed objects must not be touched.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Checks the options against the chip before anything is requested.</summary>
    protected void Validate(GpioRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Offsets.Count is 0 or > 64) throw new ArgumentException("A request holds 1 to 64 lines (GPIO_V2_LINES_MAX).", nameof(options));
        foreach (var offset in options.Offsets)
        {
            if (offset < 0 || offset >= LineCount)
                throw new IOException($"{Name}: line {offset} does not exist (the chip has lines 0..{LineCount - 1}); check the line number in the profile (BCM numbering on a Raspberry Pi).");
        }
        if (options.Offsets.Distinct().Count() != options.Offsets.Count) throw new ArgumentException("A line is listed twice in one request.", nameof(options));
        if (options.Direction == GpioDirection.Output && options.Edges != GpioEdge.None)
            throw new ArgumentException("Edge detection is for input lines.", nameof(options));
        if (options.Debounce < TimeSpan.Zero) throw new ArgumentException("Debounce must not be negative.", nameof(options));
    }
}
