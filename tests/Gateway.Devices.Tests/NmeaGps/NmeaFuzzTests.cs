using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>Random and mutated input never throws, never stalls, and every byte is accounted for.</summary>
public sealed class NmeaFuzzTests
{
    private static readonly byte[] Corpus = File.ReadAllBytes(Path.Combine(Gateway.TestKit.Data.SharedTestData.Directory("gpsd"), "ublox-neo-m9n-nmea.log"))[..20_000];

    [Fact]
    public void RandomBytes_NeverThrow_AndLeaveAtMostOneSentenceUnconsumed()
    {
        var prop = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => Decode(bytes) <= NmeaSentenceReader.MaxSentenceLength + 1);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), prop);
    }

    [Fact]
    public void MutatedRealLog_NeverThrows_ValidSentencesStillDecode()
    {
        var gen = from seed in Gen.Choose(0, int.MaxValue) from count in Gen.Choose(1, 200) select (seed, count);
        var prop = Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var random = new Random(t.seed);
            var bytes = (byte[])Corpus.Clone();
            for (var i = 0; i < t.count; i++)
            {
                var at = random.Next(bytes.Length);
                bytes[at] = (random.Next(4)) switch
                {
                    0 => (byte)random.Next(256),   // noise
                    1 => (byte)',',                // a field split
                    2 => (byte)'$',                // a spliced start
                    _ => 0,                        // a NUL
                };
            }
            return Decode(bytes) <= NmeaSentenceReader.MaxSentenceLength + 1;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), prop);
    }

    /// <summary>Feeds reader and assembler in random-size chunks; returns how many bytes stayed unconsumed.</summary>
    private static int Decode(byte[] bytes)
    {
        var stats = new NmeaStatistics();
        var assembler = new NmeaEpochAssembler(stats);
        var pending = new List<byte>();
        for (var offset = 0; offset < bytes.Length; offset += 61)
        {
            pending.AddRange(bytes.AsSpan(offset, Math.Min(61, bytes.Length - offset)).ToArray());
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending.ToArray()));
            while (NmeaSentenceReader.TryRead(ref reader, out var s, stats))
            {
                if (assembler.Add(s, offset, out var fix) && fix.HasFix)
                {
                    Assert.InRange(fix.Latitude!.Value, -90, 90);
                    Assert.InRange(fix.Longitude!.Value, -180, 180);
                    _ = assembler.Satellites.Length;
                }
            }
            pending.RemoveRange(0, (int)reader.Consumed);
        }
        assembler.Flush(out _);
        return pending.Count;
    }
}
