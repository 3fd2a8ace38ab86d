using System.Buffers;
using System.Text;
using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>Helpers: run the reader over bytes and collect what it found, as plain strings.</summary>
internal static class NmeaTestBytes
{
    public const string Gga = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47";
    public const string Rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A";

    public static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>Reads every sentence from <paramref name="sequence"/>; returns bodies and how much was consumed.</summary>
    public static (List<string> Bodies, long Consumed) ReadAll(ReadOnlySequence<byte> sequence, NmeaStatistics? stats = null)
    {
        var reader = new SequenceReader<byte>(sequence);
        var bodies = new List<string>();
        while (NmeaSentenceReader.TryRead(ref reader, out var sentence, stats)) bodies.Add(sentence.ToString());
        return (bodies, reader.Consumed);
    }

    public static (List<string> Bodies, long Consumed) ReadAll(byte[] bytes, NmeaStatistics? stats = null) =>
        ReadAll(new ReadOnlySequence<byte>(bytes), stats);

    /// <summary>The same bytes as a sequence of segments cut at <paramref name="cuts"/>.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, params int[] cuts) => Gateway.TestKit.Buffers.Sequences.AtCuts(bytes, cuts);
}
