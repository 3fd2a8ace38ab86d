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
    private readonly ReadOnlySpan<byte> _body;

    /// <summary><paramref name="body"/> is everything between <c>$</c> and <c>*</c>.</summary>
    internal NmeaSentence(ReadOnlySpan<byte> body) => _body = body;

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
    public int FieldCount => _body.Count((byte)',');

    /// <summary>
    /// Field <paramref name="index"/> in NMEA numbering: 0 is the address, 1 the first data field. A field beyond the
    /// end reads as empty, like a field the talker left empty, so decoders accept older, shorter sentence versions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Field(int index)
    {
        var rest = _body;
        for (var i = 0; i < index; i++)
        {
            var comma = rest.IndexOf((byte)',');
            if (comma < 0) return [];
            rest = rest[(comma + 1)..];
        }
        var end = rest.IndexOf((byte)',');
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The sentence as text (without <c>$</c> and checksum), for logs and test messages.</summary>
    public override string ToString() => Encoding.ASCII.GetString(_body);
}
