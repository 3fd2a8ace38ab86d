using System.Buffers;

namespace Gateway.Telemetry.Tests.Support;

/// <summary>Builds multi-segment sequences, as a pipe hands them out after several socket reads.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentLength) => Gateway.TestKit.Buffers.Sequences.OfLength(bytes, segmentLength);

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
