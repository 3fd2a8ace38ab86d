using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// One checksum-verified NMEA 0183 sentence, as a view over its bytes: no allocation per sentence. The view is valid
/// until the buffer it was read from is reused (see <see cref="NmeaSentenceReader.TryRead(ref System.Buffers.SequenceReader{byte}, out NmeaSentence)"/>).
/// </summary>
/// <remarks>
/// Grammar (NMEA 0183 v4.11 §5.3): <c>$</c> address <c>{,field}</c> <c>*hh</c> CR LF. The address is a two-letter
/// talker (GP, GN, GL, GA, GB, BD, QZ, ...) and a three-letter type (GGA, RMC, ...), or <c>P</c> and a
/// manufacturer's code for proprietary sentences.
/// </remarks>
public readonly ref struct NmeaSentence
{
    /// <summary>Commas whose positions a sentence keeps (see <see cref="CommaPositions"/>).</summary>
    internal const int IndexedCommas = 32;

    private readonly ReadOnlySpan<byte> _body;
    private readonly CommaPositions _commas;
    private readonly int _commaCount;

    /// <summary>
    /// <paramref name="body"/> is everything between <c>$</c> and <c>*</c>; <paramref name="commas"/> holds the positions
    /// in it of the first <paramref name="commaCount"/> commas (up to <see cref="IndexedCommas"/>), which
    /// <see cref="NmeaSentenceReader"/> notes in the same pass that checks the line's bytes and checksum. Knowing them,
    /// <see cref="Field"/> costs the same for every index (decoders read fields 1 to n: scanning from the start each
    /// time made a GSV cost 200 scans instead of 20).
    /// </summary>
    internal NmeaSentence(ReadOnlySpan<byte> body, scoped in CommaPositions commas, int commaCount)
    {
        System.Diagnostics.Debug.Assert(body.Length <= byte.MaxValue, "NmeaSentenceReader keeps sentences within 120 bytes");
        _body = body;
        _commas = commas;
        _commaCount = commaCount;
    }

    /// <summary>Everything between <c>$</c> and <c>*</c>: the address and the fields.</summary>
    public ReadOnlySpan<byte> Body => _body;

    /// <summary>The address field, e.g. <c>GPGGA</c> or <c>PSRF151</c>.</summary>
    public ReadOnlySpan<byte> Address => Field(0);

    /// <summary>True for <c>$P...</c> manufacturer sentences.</summary>
    public bool IsProprietary => !_body.IsEmpty && _body[0] == (byte)'P';

    /// <summary>Talker id: <c>GP</c>, <c>GN</c>, ...; <c>P</c> for proprietary sentences.</summary>
    public ReadOnlySpan<byte> Talker
    {
        get
        {
            var address = Address;
            return IsProprietary ? address[..1] : address[..Math.Min(2, address.Length)];
        }
    }

    /// <summary>Sentence type: <c>GGA</c>, <c>RMC</c>, ...; the manufacturer's part for proprietary sentences.</summary>
    public ReadOnlySpan<byte> Type
    {
        get
        {
            var address = Address;
            return IsProprietary ? address[1..] : address[Math.Min(2, address.Length)..];
        }
    }

    /// <summary>How many comma-separated fields follow the address.</summary>
    public int FieldCount => _commaCount;

    /// <summary>
    /// Field <paramref name="index"/> in NMEA numbering: 0 is the address, 1 the first data field. A field beyond the
    /// end reads as empty, like a field the talker left empty, so decoders accept older, shorter sentence versions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Field(int index)
    {
        if (index < 0 || index > _commaCount) return [];
        if (index <= IndexedCommas - 1 || (index == IndexedCommas && _commaCount == IndexedCommas))
        {
            var start = index == 0 ? 0 : _commas[index - 1] + 1;
            var end = index < _commaCount ? _commas[index] : _body.Length;
            return _body[start..end];
        }
        // Past the kept commas (a proprietary sentence with many fields): scan on from the last one kept.
        var rest = _body[(_commas[IndexedCommas - 1] + 1)..];
        for (var i = IndexedCommas; i < index; i++) rest = rest[(rest.IndexOf((byte)',') + 1)..];
        var next = rest.IndexOf((byte)',');
        return next < 0 ? rest : rest[..next];
    }

    /// <summary>The sentence as text (without <c>$</c> and checksum), for logs and test messages.</summary>
    public override string ToString() => Encoding.ASCII.GetString(_body);
}

/// <summary>
/// Positions of a sentence's first commas in its body (at most 120 bytes), inline. A GSV, the longest common sentence,
/// has 20; a sentence with more than 32 finds the rest by scanning on from the last one kept.
/// </summary>
[InlineArray(NmeaSentence.IndexedCommas)]
internal struct CommaPositions
{
    private byte _element0;
}
