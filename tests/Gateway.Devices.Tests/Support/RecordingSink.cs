using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tests.Support;

/// <summary>A sink that keeps every reading; can be told to refuse, as a full pipeline in DropWrite mode does.</summary>
public sealed class RecordingSink : IReadingSink
{
    private readonly Lock _gate = new();
    private readonly List<Reading> _readings = [];

    public bool Refuse { get; set; }

    public int Offered { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate) return _readings.Count;
        }
    }

    public IReadOnlyList<Reading> Snapshot()
    {
        lock (_gate) return [.. _readings];
    }

    public bool TryWrite(in Reading reading)
    {
        lock (_gate)
        {
            Offered++;
            if (Refuse) return false;
            _readings.Add(reading);
            return true;
        }
    }
}
