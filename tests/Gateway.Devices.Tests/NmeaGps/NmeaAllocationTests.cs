using System.Buffers;
using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// The decode path allocates nothing per sentence (DESIGN §9) on the receivers whose sentences the benchmark does not
/// carry: SiRF's PSRFEPE (beidou-bd), DOPs of 99 (sl869), GBS and trailing GSA/GSV (ublox-neo-m9n). The figure itself
/// is BenchmarkDotNet's (tests/Gateway.Benchmarks/Nmea); this holds that these paths keep it at 0.
/// </summary>
public sealed class NmeaAllocationTests
{
    [Theory]
    [InlineData("beidou-bd.log")]
    [InlineData("sl869.log")]
    [InlineData("ublox-neo-m9n-nmea.log")]
    public void RealLog_SecondPass_AllocatesNothing(string log)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Gateway.TestKit.Data.SharedTestData.Directory("gpsd"), log));
        var fixes = Decode(NewAssembler(), bytes); // the first pass JIT-compiles everything
        var assembler = NewAssembler(); // the second, measured, takes the same paths from the same start
        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = Decode(assembler, bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(fixes > 0 && again == fixes, $"{log}: {fixes} then {again} fixes");
        Assert.Equal(0, allocated);
    }

    private static NmeaEpochAssembler NewAssembler() => new(new NmeaStatistics(), new NmeaDateResolver(new DateOnly(2015, 1, 1)));

    private static int Decode(NmeaEpochAssembler assembler, byte[] bytes)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var fixes = 0;
        while (NmeaSentenceReader.TryRead(ref reader, out var sentence))
        {
            if (assembler.Add(sentence, 0, out _)) fixes++;
        }
        if (assembler.Flush(out _)) fixes++;
        return fixes;
    }
}
