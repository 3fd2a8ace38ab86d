using System.Buffers;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using static Gateway.Telemetry.Tests.Support.Segments;
using Gateway.Core.Buffers;

namespace Gateway.Telemetry.Tests.Encoding;

public class ReadingEncoderTests
{
    private const long CaptureTicks = 5 * TimeSpan.TicksPerSecond;
    private const long CaptureMs = 1767225605000; // 2026-01-01T00:00:05Z

    private static readonly MeasurementSchema Tag = new("tag", [new("rssi", FieldKind.Integer), new("snr", FieldKind.Float)], "tag");
    private static readonly MeasurementSchema Asset = new("asset", [new("battery", FieldKind.Float)], "asset");
    private static readonly MeasurementSchema Door = new("input", [new("open", FieldKind.Boolean), new("count", FieldKind.Integer)]);
    private static readonly MeasurementSchema State = new("gateway", [new("source", FieldKind.Label, ["none", "gps+pps", "say \"hi\" \\o/"]), new("n", FieldKind.Integer)]);

    private readonly ManualTimeProvider _time = new();
    private readonly ClockDiscipline _clock;
    private readonly SourceRegistry _sources = new();
    private readonly ReadingEncoder _encoder;

    public ReadingEncoderTests()
    {
        _clock = new ClockDiscipline(_time);
        _clock.SynchronizeFromSystemClock();
        _sources.Register("gps0", Measurements.Gps);
        _sources.Register("bme280", Measurements.Env);
        _sources.Register("counter", Measurements.Counter);
        _sources.Register("radio", Tag);
        _sources.Register("radio", Asset);
        _sources.Register("door a", Door);
        _sources.Register("clock", State);
        _encoder = new ReadingEncoder(_sources, "gw-01", _clock);
    }

    private string Encode(int source, double[] values, ulong subject = 0, ReadingEncoder? encoder = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        (encoder ?? _encoder).Encode(new Reading(new SourceId((ushort)source), CaptureTicks, ReadingValues.From(values), subject), buffer);
        return Text(buffer.WrittenSpan);
    }

    public static TheoryData<int, double[], ulong, string> Golden => new()
    {
        { 0, [52.520008, 13.404954, 34.5, 0.5, 270, 0.9, 7, 3], 0,
            "gps,gateway=gw-01,sensor=gps0 lat=52.520008,lon=13.404954,alt=34.5,speed=0.5,course=270,hdop=0.9,satellites=7i,mode=3i 1767225605000\n" },
        { 1, [21.5, double.NaN, 1013.25], 0, "env,gateway=gw-01,sensor=bme280 temperature=21.5,pressure=1013.25 1767225605000\n" },
        { 1, [-1.5e-7, 1e20, double.PositiveInfinity], 0, "env,gateway=gw-01,sensor=bme280 temperature=-1.5E-07,humidity=1E+20 1767225605000\n" },
        { 2, [42], 0, "counter,gateway=gw-01,sensor=counter seq=42i 1767225605000\n" },
        { 2, [7.9], 0, "counter,gateway=gw-01,sensor=counter seq=7i 1767225605000\n" },
        { 2, [-7.9], 0, "counter,gateway=gw-01,sensor=counter seq=-7i 1767225605000\n" },
        { 2, [1e19], 0, "" },
        { 3, [-97, 7.25], 0xff, "tag,gateway=gw-01,sensor=radio,tag=000000ff rssi=-97i,snr=7.25 1767225605000\n" },
        { 3, [double.NaN, 1], 0x1234567890abcdef, "tag,gateway=gw-01,sensor=radio,tag=1234567890abcdef snr=1 1767225605000\n" },
        { 4, [3.3], 0xabcd, "asset,asset=0000abcd,gateway=gw-01,sensor=radio battery=3.3 1767225605000\n" },
        { 5, [1, 12], 0, "input,gateway=gw-01,sensor=door\\ a open=true,count=12i 1767225605000\n" },
        { 5, [0, double.NaN], 0, "input,gateway=gw-01,sensor=door\\ a open=false 1767225605000\n" },
        { 6, [1, 5], 0, "gateway,gateway=gw-01,sensor=clock source=\"gps+pps\",n=5i 1767225605000\n" },
        { 6, [0, double.NaN], 0, "gateway,gateway=gw-01,sensor=clock source=\"none\" 1767225605000\n" },
        { 6, [2, 1], 0, "gateway,gateway=gw-01,sensor=clock source=\"say \\\"hi\\\" \\\\o/\",n=1i 1767225605000\n" },
        { 6, [3, 1], 0, "gateway,gateway=gw-01,sensor=clock n=1i 1767225605000\n" },   // no such label: left out
        { 6, [-1, 1], 0, "gateway,gateway=gw-01,sensor=clock n=1i 1767225605000\n" },
        { 6, [0.5, 1], 0, "gateway,gateway=gw-01,sensor=clock n=1i 1767225605000\n" },
        { 6, [double.NaN, double.NaN], 0, "" },
    };

    [Fact]
    public void ClockStepsBack_TheSourcesNextTimestampsFollowItsLast_SoTheStoreOverwritesNone()
    {
        var counter = new SourceId(2);
        var lines = new ArrayBufferWriter<byte>();
        void Post(long ticks, double seq) => _encoder.Encode(new Reading(counter, ticks, ReadingValues.From([seq])), lines);
        Post(CaptureTicks, 1);                                   // ...05.000
        Post(CaptureTicks + 5 * TimeSpan.TicksPerMillisecond, 2); // ...05.005
        // GPS takes over and says the time is 25.6 ms earlier than the system clock said (a step, not a slew).
        Assert.True(_clock.Synchronize(_time.GetUtcNow() - TimeSpan.FromMilliseconds(25.6), _time.GetTimestamp(), ClockSource.Gps));
        Post(CaptureTicks + 10 * TimeSpan.TicksPerMillisecond, 3); // would be ...04.984: before seq 1
        Post(CaptureTicks + 40 * TimeSpan.TicksPerMillisecond, 4); // ...05.014: after seq 2 again
        var stamps = Text(lines.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        Assert.Equal([CaptureMs, CaptureMs + 5, CaptureMs + 6, CaptureMs + 14], stamps);
        Assert.Equal(1, _encoder.NudgedTimestamps);
    }

    [Fact]
    public void ClockStepsBackFarther_ThanASecond_TheNewTimeIsWritten_NotTheOldOnesContinuation()
    {
        var counter = new SourceId(2);
        var lines = new ArrayBufferWriter<byte>();
        _encoder.Encode(new Reading(counter, CaptureTicks, ReadingValues.From([1])), lines);
        Assert.True(_clock.Synchronize(_time.GetUtcNow() - TimeSpan.FromHours(2), _time.GetTimestamp(), ClockSource.Gps));
        _encoder.Encode(new Reading(counter, CaptureTicks + TimeSpan.TicksPerMillisecond, ReadingValues.From([2])), lines);
        var stamps = Text(lines.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        Assert.Equal([CaptureMs, CaptureMs - (long)TimeSpan.FromHours(2).TotalMilliseconds + 1], stamps);
        Assert.Equal(0, _encoder.NudgedTimestamps);
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Encode_Reading_MatchesGoldenLine(int source, double[] values, ulong subject, string expected)
    {
        Assert.Equal(expected, Encode(source, values, subject));
    }

    [Fact]
    public void Encode_AllFieldsNaN_WritesNothingAndCounts()
    {
        Assert.Equal("", Encode(1, [double.NaN, double.NaN, double.NaN]));
        Assert.Equal("", Encode(2, [double.NaN]));
        Assert.Equal(2, _encoder.SkippedReadings);
    }

    [Fact]
    public void Encode_Unsynced_AddsTimeQualityTagInKeyOrder()
    {
        var encoder = new ReadingEncoder(_sources, "gw 1,x=y", new ClockDiscipline(_time));
        Assert.Equal("counter,gateway=gw\\ 1\\,x\\=y,sensor=counter,time_quality=unsynced seq=1i 1767225605000\n", Encode(2, [1], encoder: encoder));
        Assert.Equal("tag,gateway=gw\\ 1\\,x\\=y,sensor=radio,tag=00000001,time_quality=unsynced rssi=-1i,snr=0 1767225605000\n", Encode(3, [-1, 0], 1, encoder));
    }

    [Fact]
    public void Encode_Lines_ParseBackToTheSameValues()
    {
        string line = Encode(0, [-33.9, 151.2, -10, 0, 0, 1.1, 12, 3]);
        var points = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(Utf8(line), points, errors);
        Assert.Empty(errors);
        var point = Assert.Single(points);
        Assert.Equal(["gateway", "sensor"], point.Tags.Select(t => t.Key));
        Assert.Equal(-33.9, point.Fields[0].Value.Float);
        Assert.Equal(12, point.Fields[6].Value.Integer);
        Assert.Equal(CaptureMs, point.Timestamp);
    }

    [Fact]
    public void Encode_LabelField_ParsesBackAsAStringField()
    {
        var points = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(Utf8(Encode(6, [2, 7])), points, errors);
        Assert.Empty(errors);
        var point = Assert.Single(points);
        Assert.Equal("say \"hi\" \\o/", point.Fields[0].Value.String);
        Assert.Equal(7, point.Fields[1].Value.Integer);
    }

    [Fact]
    public void Schema_LabelFieldWithoutLabels_OrLabelsOnAnotherKind_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new MeasurementSchema("m", [new("source", FieldKind.Label)]));
        Assert.Throws<ArgumentException>(() => new MeasurementSchema("m", [new("source", FieldKind.Label, [])]));
        Assert.Throws<ArgumentException>(() => new MeasurementSchema("m", [new("n", FieldKind.Integer, ["a"])]));
    }

    [Fact]
    public void Encode_SubjectKeyTakenByEncoder_Throws()
    {
        var sources = new SourceRegistry();
        sources.Register("x", new MeasurementSchema("m", [new("f", FieldKind.Float)], "sensor"));
        var encoder = new ReadingEncoder(sources, "gw", _clock);
        Assert.Throws<InvalidOperationException>(() => encoder.Encode(new Reading(new SourceId(0), 0, ReadingValues.From([1.0])), new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encode_AfterWarmUp_AllocatesNothing(bool synced)
    {
        var encoder = new ReadingEncoder(_sources, "gw-01", synced ? _clock : new ClockDiscipline(_time));
        using var output = new PooledBufferWriter(64 * 1024);
        Reading[] readings =
        [
            new(new SourceId(0), CaptureTicks, ReadingValues.From([52.5, 13.4, 34.5, 0.5, 270, 0.9, 7, 3])),
            new(new SourceId(1), CaptureTicks, ReadingValues.From([21.5, double.NaN, 1013.25])),
            new(new SourceId(3), CaptureTicks, ReadingValues.From([-97, 7.25]), 0xff),
            new(new SourceId(5), CaptureTicks, ReadingValues.From([1, 12])),
            new(new SourceId(6), CaptureTicks, ReadingValues.From([1, 12])),
        ];
        foreach (var reading in readings) encoder.Encode(reading, output);
        output.Reset();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            if (output.WrittenCount > 60 * 1024) output.Reset();
            encoder.Encode(readings[i % readings.Length], output);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, output.WrittenCount);
    }
}
