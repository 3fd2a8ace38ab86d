using BenchmarkDotNet.Attributes;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.Core.Buffers;

namespace Gateway.Benchmarks.Telemetry;

/// <summary>Encoding one reading to line protocol: the per-reading cost on the device (DESIGN §9: 0 bytes allocated).</summary>
[MemoryDiagnoser]
public class ReadingEncoderBenchmarks
{
    private readonly PooledBufferWriter _output = new(64 * 1024);
    private ReadingEncoder _encoder = null!;
    private Reading _gps;
    private Reading _counter;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new SourceRegistry();
        var gps = registry.Register("gps", Measurements.Gps);
        var counter = registry.Register("seq", Measurements.Counter);
        var clock = new ClockDiscipline(TimeProvider.System);
        clock.SynchronizeFromSystemClock();
        _encoder = new ReadingEncoder(registry, "cp-alpha-01", clock);
        var now = TimeProvider.System.GetTimestamp();
        _gps = new Reading(gps.Id, now, ReadingValues.From([8.4840123, -13.2299456, 27.3, 1.25, 181.5, 0.9, 9, 3]));
        _counter = new Reading(counter.Id, now, ReadingValues.From([123456]));
    }

    [Benchmark]
    public int EncodeGps()
    {
        _output.Reset();
        _encoder.Encode(in _gps, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodeCounter()
    {
        _output.Reset();
        _encoder.Encode(in _counter, _output);
        return _output.WrittenCount;
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();
}
