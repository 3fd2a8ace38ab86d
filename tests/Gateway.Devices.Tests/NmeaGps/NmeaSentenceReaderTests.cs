using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Devices.NmeaGps;
using static Gateway.Devices.Tests.NmeaGps.NmeaTestBytes;

namespace Gateway.Devices.Tests.NmeaGps;

public sealed class NmeaSentenceReaderTests
{
    [Fact]
    public void TryRead_GoldenGga_ReturnsSentenceWithTalkerTypeAndFields()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(Gga + "\r\n")));
        Assert.True(NmeaSentenceReader.TryRead(ref reader, out var s));
        Assert.Equal("GP"u8.ToArray(), s.Talker.ToArray());
        Assert.Equal("GGA"u8.ToArray(), s.Type.ToArray());
        Assert.Equal("123519"u8.ToArray(), s.Field(1).ToArray());
        Assert.Equal("46.9"u8.ToArray(), s.Field(11).ToArray());
        Assert.Equal(14, s.FieldCount);
        Assert.True(s.Field(40).IsEmpty);
        Assert.Equal(Gga.Length + 2, reader.Consumed);
    }

    /// <summary>
    /// The comma index keeps 32 commas; fields past them are found by scanning on. Every field of sentences with 0 to
    /// 45 fields (empty, one-byte and longer ones) reads as string.Split reads it, and one past the end is empty.
    /// </summary>
    [Fact]
    public void Field_EveryIndex_AsSplitReadsIt_BelowAndBeyondTheIndexedCommas()
    {
        for (var count = 0; count <= 45; count++)
        {
            var fields = Enumerable.Range(1, count).Select(i => (i % 3) switch { 0 => "", 1 => "7", _ => "ab" }).ToArray();
            var body = string.Join(',', ["PXYZ", .. fields]);
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(NmeaCommand.Frame(body)));
            Assert.True(NmeaSentenceReader.TryRead(ref reader, out var s), body);
            Assert.Equal(count, s.FieldCount);
            var expected = body.Split(',');
            for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], System.Text.Encoding.ASCII.GetString(s.Field(i)));
            Assert.True(s.Field(expected.Length).IsEmpty);
            Assert.True(s.Field(-1).IsEmpty);
        }
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void TryRead_BothGoldenSentences_EitherLineEnd_ReadsBoth(string end)
    {
        var stats = new NmeaStatistics();
        var (bodies, consumed) = ReadAll(Ascii(Gga + end + Rmc + end), stats);
        Assert.Equal([Gga[1..^3], Rmc[1..^3]], bodies);
        Assert.Equal(Gga.Length + Rmc.Length + (2 * end.Length), consumed);
        Assert.Equal(2, stats.Sentences);
    }

    [Fact]
    public void TryRead_LowercaseChecksum_Accepted()
    {
        var (bodies, _) = ReadAll(Ascii(Rmc[..^2] + "6a\r\n"));
        Assert.Single(bodies);
    }

    [Fact]
    public void TryRead_EveryPrefix_ReturnsFalseAndConsumesNothing()
    {
        var bytes = Ascii(Gga + "\r\n");
        // The full line without its final LF is still incomplete: "\r" might be followed by "\n".
        for (var length = 0; length < bytes.Length; length++)
        {
            var stats = new NmeaStatistics();
            var (bodies, consumed) = ReadAll(bytes[..length], stats);
            Assert.Empty(bodies);
            Assert.Equal(0, consumed);
            Assert.Equal(0, stats.Malformed + stats.ChecksumErrors + stats.GarbageBytes);
        }
    }

    [Fact]
    public void TryRead_EverySplitIntoThreeSegments_ReadsBothSentences()
    {
        var bytes = Ascii(Gga + "\r\n" + Rmc + "\r\n");
        for (var a = 1; a < bytes.Length; a += 3)
        for (var b = a + 1; b < bytes.Length; b += 7)
        {
            var (bodies, consumed) = ReadAll(Segmented(bytes, a, b));
            Assert.Equal(2, bodies.Count);
            Assert.Equal(Rmc[1..^3], bodies[1]);
            Assert.Equal(bytes.Length, consumed);
        }
    }

    [Theory]
    [InlineData("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48\r\n", NmeaReadResult.ChecksumError)]
    [InlineData("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,\r\n", NmeaReadResult.Malformed)]
    [InlineData("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*4\r\n", NmeaReadResult.Malformed)]
    [InlineData("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*4G\r\n", NmeaReadResult.Malformed)]
    [InlineData("$*00\r\n", NmeaReadResult.Malformed)]
    [InlineData("$GP*GGA,1*70\r\n", NmeaReadResult.Malformed)]
    [InlineData("$GPG\0GA,1*70\r\n", NmeaReadResult.Malformed)]
    [InlineData("$G:GGA,1*21\r\n", NmeaReadResult.Malformed)] // checksums right: the address is what is wrong
    [InlineData("$gpgga,1*6B\r\n", NmeaReadResult.Malformed)]
    [InlineData("$G,1*5A\r\n", NmeaReadResult.Malformed)]
    [InlineData("$GP@GA,1*4C\r\n", NmeaReadResult.Malformed)]
    [InlineData("$GPG[A,1*57\r\n", NmeaReadResult.Malformed)]
    public void Read_BadLine_ReportsWhyAndSkipsIt(string line, NmeaReadResult expected)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(line + Rmc + "\r\n")));
        Assert.Equal(expected, NmeaSentenceReader.Read(ref reader, out _, out var skipped));
        Assert.True(skipped > 0);
        Assert.True(NmeaSentenceReader.TryRead(ref reader, out var next));
        Assert.Equal(Rmc[1..^3], next.ToString());
    }

    [Fact]
    public void TryRead_NulsAndNoiseBetweenSentences_CountedAsGarbage()
    {
        var stats = new NmeaStatistics();
        byte[] bytes = [0, 0, 0, .. Ascii("# comment\r\n"), 0xFF, .. Ascii(Gga + "\r\n"), 0, 0, .. Ascii(Rmc + "\r\n")];
        var (bodies, consumed) = ReadAll(bytes, stats);
        Assert.Equal(2, bodies.Count);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(3 + 11 + 1 + 2, stats.GarbageBytes);
    }

    [Fact]
    public void TryRead_DoubleDollar_SkipsTheEmptyStartAndReadsTheSentence()
    {
        var stats = new NmeaStatistics();
        var (bodies, _) = ReadAll(Ascii("$" + Gga + "\r\n"), stats);
        Assert.Single(bodies);
        Assert.Equal(1, stats.Malformed);
    }

    [Fact]
    public void TryRead_SplicedLine_SkipsTheCutLineAndReadsTheNext()
    {
        var stats = new NmeaStatistics();
        var (bodies, _) = ReadAll(Ascii(Gga[..30] + Rmc + "\r\n"), stats);
        Assert.Equal([Rmc[1..^3]], bodies);
        Assert.Equal(1, stats.Malformed);
    }

    [Fact]
    public void TryRead_TruncatedLineThenNewLine_CountsMalformedOrChecksum()
    {
        var stats = new NmeaStatistics();
        var (bodies, _) = ReadAll(Ascii(Gga[..40] + "\r\n" + Rmc + "\r\n"), stats);
        Assert.Equal([Rmc[1..^3]], bodies);
        Assert.Equal(1, stats.Malformed + stats.ChecksumErrors);
    }

    [Fact]
    public void TryRead_OverLongLineWithoutEnd_SkippedOnceBoundIsReached()
    {
        var stats = new NmeaStatistics();
        var longLine = "$GPXXX," + new string('1', 300);
        var (bodies, consumed) = ReadAll(Ascii(longLine), stats);
        Assert.Empty(bodies);
        Assert.Equal(longLine.Length, consumed); // bound reached, then the rest is garbage up to the end
        Assert.Equal(1, stats.Malformed);
    }

    [Fact]
    public void TryRead_OverLongLineWithEnd_SkippedAndNextSentenceRead()
    {
        var stats = new NmeaStatistics();
        var body = "GPXXX," + new string('2', NmeaSentenceReader.MaxSentenceLength);
        var (bodies, _) = ReadAll(Ascii("$" + body + "*00\r\n" + Gga + "\r\n"), stats);
        Assert.Equal([Gga[1..^3]], bodies);
        Assert.Equal(1, stats.Malformed);
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrowsAndAlwaysProgressesOrWaits()
    {
        var prop = Prop.ForAll<byte[]>(bytes =>
        {
            var stats = new NmeaStatistics();
            var mixed = bytes.Concat(Ascii(Gga + "\r\n")).ToArray();
            var (bodies, consumed) = ReadAll(mixed, stats);
            // Whatever came before, the golden sentence at the end is found unless the noise left an open '$' that
            // swallowed it (then it was counted as malformed or a checksum error).
            var accounted = stats.Sentences + stats.Malformed + stats.ChecksumErrors;
            return consumed <= mixed.Length && bodies.Count == stats.Sentences && (bodies.Contains(Gga[1..^3]) || accounted > 0);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), prop);
    }

    [Fact]
    public void TryRead_RandomSegmentationOfRandomBytes_SameResultAsOneSegment()
    {
        var prop = Prop.ForAll<byte[], int, int>((noise, a, b) =>
        {
            var bytes = noise.Concat(Ascii(Rmc + "\r\n" + Gga + "\r\n")).ToArray();
            var whole = ReadAll(bytes);
            var split = ReadAll(Segmented(bytes, Math.Abs(a % (bytes.Length + 1)), Math.Abs(b % (bytes.Length + 1))));
            return whole.Bodies.SequenceEqual(split.Bodies) && whole.Consumed == split.Consumed;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }

    [Fact]
    public void Proprietary_TalkerIsPAndTypeIsTheRest()
    {
        var body = "PSRF151,3,1";
        var checksum = body.Aggregate(0, (x, c) => x ^ c);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii($"${body}*{checksum:X2}\r\n")));
        Assert.True(NmeaSentenceReader.TryRead(ref reader, out var s));
        Assert.True(s.IsProprietary);
        Assert.Equal("P"u8.ToArray(), s.Talker.ToArray());
        Assert.Equal("SRF151"u8.ToArray(), s.Type.ToArray());
    }
}
