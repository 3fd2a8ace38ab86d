using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Gateway.Devices.NmeaGps;

namespace Gateway.Benchmarks.Nmea;

/// <summary>
/// The live decode path of the GPS source, per sentence: <see cref="NmeaSentenceReader"/> (framing, checksum, fields)
/// then <see cref="NmeaEpochAssembler"/> (cycle merging). DESIGN §9 asks 0 bytes allocated per sentence; the
/// end-to-end rate against gpsd's gpsdecode is deploy/bench/nmea-decode.sh.
/// </summary>
/// <remarks>
/// Input: 600 one-second cycles of a u-blox NEO-M9N in its default NMEA set (23 sentences: RMC, VTG, GGA, 4 GSA,
/// 11 GSV over four constellations, GLL, GST, ZDA, GBS), modelled on ../shared/testdata/gpsd/ublox-neo-m9n-nmea.log
/// with the time fields advanced and the checksums recomputed, so that the assembler sees real cycle boundaries.
/// </remarks>
[MemoryDiagnoser]
public class NmeaDecodeBenchmarks
{
    private const int Cycles = 600;

    // One cycle; {T} is the time field hhmmss.ss. Bodies only: framing and checksums are added by NmeaCommand.Frame.
    private static readonly string[] Cycle =
    [
        "GNRMC,{T},A,3806.62964,N,12237.61382,W,0.040,,110720,,,D,V",
        "GNVTG,,T,,M,0.040,N,0.075,K,D",
        "GNGGA,{T},3806.62964,N,12237.61382,W,2,12,0.54,83.1,M,-29.5,M,,0000",
        "GNGSA,A,3,29,20,18,16,51,13,44,26,,,,,0.99,0.54,0.83,1",
        "GNGSA,A,3,82,73,74,67,81,83,68,,,,,,0.99,0.54,0.83,2",
        "GNGSA,A,3,03,05,30,27,15,,,,,,,,0.99,0.54,0.83,3",
        "GNGSA,A,3,32,28,30,33,27,,,,,,,,0.99,0.54,0.83,4",
        "GPGSV,4,1,16,05,01,047,,10,29,224,,13,22,062,23,15,40,094,,1",
        "GPGSV,4,2,16,16,25,306,30,18,68,358,39,20,63,235,37,21,35,292,,1",
        "GPGSV,4,3,16,23,58,225,,25,00,179,,26,33,265,35,27,07,316,,1",
        "GPGSV,4,4,16,29,46,133,43,44,45,171,45,46,45,191,43,51,43,156,43,1",
        "GLGSV,3,1,10,66,09,027,,67,56,054,40,68,55,168,44,69,08,194,21,1",
        "GLGSV,3,2,10,73,13,282,27,74,10,318,13,81,09,110,16,82,51,077,39,1",
        "GLGSV,3,3,10,83,52,346,29,84,05,307,,1",
        "GAGSV,3,1,10,03,44,149,40,05,42,071,39,08,08,190,,09,06,034,,7",
        "GAGSV,3,2,10,13,11,292,,15,56,322,39,21,10,318,,27,24,268,26,7",
        "GAGSV,3,3,10,30,14,215,16,36,08,098,,7",
        "GBGSV,2,1,07,04,01,262,,07,03,328,,27,78,059,44,28,29,115,34,1",
        "GBGSV,2,2,07,30,37,312,36,32,45,196,44,33,20,043,27,1",
        "GNGLL,3806.62964,N,12237.61382,W,{T},A,D",
        "GNGST,{T},228650,2.5,2.4,126,0.98,1.0,3.1",
        "GNZDA,{T},11,07,2020,00,00",
        "GNGBS,{T},1.0,1.0,3.1,,,,,,",
    ];

    public const int Sentences = Cycles * 23;

    private byte[] _input = [];
    private NmeaEpochAssembler _assembler = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new MemoryStream();
        var start = new TimeSpan(22, 37, 45);
        for (var c = 0; c < Cycles; c++)
        {
            var time = (start + TimeSpan.FromSeconds(c)).ToString(@"hhmmss\.\0\0", CultureInfo.InvariantCulture);
            foreach (var body in Cycle) text.Write(NmeaCommand.Frame(body.Replace("{T}", time, StringComparison.Ordinal)));
        }
        _input = text.ToArray();
        _assembler = new NmeaEpochAssembler(new NmeaStatistics());
        if (Decode() < Cycles - 2) throw new InvalidOperationException("the input does not decode into one fix per cycle");
    }

    /// <summary>Every sentence through reader and assembler; reported per sentence.</summary>
    [Benchmark(OperationsPerInvoke = Sentences)]
    public int Decode()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_input));
        var fixes = 0;
        while (NmeaSentenceReader.TryRead(ref reader, out var sentence))
        {
            if (_assembler.Add(sentence, 0, out _)) fixes++;
        }
        return fixes;
    }
}
