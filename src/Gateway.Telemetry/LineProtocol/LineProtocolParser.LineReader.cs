using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Gateway.Telemetry.LineProtocol;

public static partial class LineProtocolParser
{
    /// <summary>Walks one line left to right; every failure throws with the byte column where it was found.</summary>
    private ref struct LineReader
    {
        private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private readonly ReadOnlySpan<byte> _line;
        private readonly int _lineNumber;
        private int _pos;

        public LineReader(ReadOnlySpan<byte> line, int start, int lineNumber)
        {
            _line = line;
            _pos = start;
            _lineNumber = lineNumber;
        }

        private readonly int Peek => _pos < _line.Length ? _line[_pos] : -1;

        public LinePoint ReadPoint()
        {
            if (!Utf8.IsValid(_line)) throw Fail("the line is not valid UTF-8", FirstInvalidUtf8(_line));
            var point = new LinePoint { Measurement = ReadName(TokenKind.Measurement) };
            if (point.Measurement.Length == 0) throw Fail("the measurement name is missing", _pos);
            while (Peek == ',')
            {
                _pos++;
                point.Tags.Add(ReadTag());
            }
            if (Peek != ' ') throw Fail("the line has no fields (expected a space and key=value after the measurement and tags)", _pos);
            _pos++;
            do
            {
                point.Fields.Add(ReadField());
            }
            while (TryTake(','));
            if (Peek == ' ')
            {
                _pos++;
                point.Timestamp = ReadTimestamp();
            }
            return point;
        }

        private KeyValuePair<string, string> ReadTag()
        {
            int keyStart = _pos;
            string key = ReadName(TokenKind.TagKey);
            if (key.Length == 0) throw Fail("a tag key is empty", keyStart);
            if (!TryTake('=')) throw Fail($"tag {Quote(key)} has no '=' and value", _pos);
            int valueStart = _pos;
            string value = ReadName(TokenKind.TagValue);
            if (value.Length == 0) throw Fail($"tag {Quote(key)} has an empty value", valueStart);
            if (Peek == '=') throw Fail($"the value of tag {Quote(key)} contains an unescaped '=' (write it as \\=)", _pos);
            return new(key, value);
        }

        private LineField ReadField()
        {
            int keyStart = _pos;
            string key = ReadName(TokenKind.FieldKey);
            if (key.Length == 0) throw Fail("a field key is empty", keyStart);
            if (!TryTake('=')) throw Fail($"field {Quote(key)} has no '=' and value", _pos);
            if (Peek == '"') return new(key, LineFieldValue.FromString(ReadString(key)));
            int start = _pos;
            while (_pos < _line.Length && _line[_pos] is not (byte)',' and not (byte)' ') _pos++;
            if (_pos == start) throw Fail($"field {Quote(key)} has no value", start);
            return new(key, ParseScalar(_line[start.._pos], key, start));
        }

        private string ReadString(string key)
        {
            int open = _pos++;
            int start = _pos;
            int escapes = 0;
            while (_pos < _line.Length && _line[_pos] != '"')
            {
                if (IsEscape(TokenKind.StringValue, _pos)) { _pos++; escapes++; }
                _pos++;
            }
            if (_pos == _line.Length) throw Fail($"string field {Quote(key)} has no closing quote", open);
            var raw = _line[start.._pos];
            _pos++;
            if (Peek is not (-1 or ',' or ' ')) throw Fail($"string field {Quote(key)} is followed by '{(char)Peek}' instead of ',' or a space", _pos);
            return Decode(raw, TokenKind.StringValue, escapes);
        }

        private long? ReadTimestamp()
        {
            int start = _pos;
            var text = _line[start..].TrimEnd((byte)' ');
            if (text.IsEmpty) return null;
            if (!IsInteger(text, allowSign: true) || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long timestamp))
                throw Fail("the timestamp is not a signed 64-bit integer", start);
            return timestamp;
        }

        /// <summary>Reads a measurement, key or tag value up to its first unescaped special character.</summary>
        private string ReadName(TokenKind kind)
        {
            int start = _pos;
            int escapes = 0;
            while (_pos < _line.Length)
            {
                if (IsEscape(kind, _pos)) { _pos += 2; escapes++; continue; }
                if (LineProtocolSyntax.IsSpecial(kind, _line[_pos])) break;
                _pos++;
            }
            return Decode(_line[start.._pos], kind, escapes);
        }

        private readonly bool IsEscape(TokenKind kind, int at) =>
            _line[at] == '\\' && at + 1 < _line.Length && (_line[at + 1] == '\\' || LineProtocolSyntax.IsSpecial(kind, _line[at + 1]));

        private bool TryTake(char c)
        {
            if (Peek != c) return false;
            _pos++;
            return true;
        }

        /// <summary>UTF-8 to string, dropping escape backslashes; the line was validated, so decoding cannot fail.</summary>
        private static string Decode(ReadOnlySpan<byte> raw, TokenKind kind, int escapes)
        {
            if (escapes == 0) return Utf8Strict.GetString(raw);
            byte[] rented = ArrayPool<byte>.Shared.Rent(raw.Length);
            try
            {
                int n = 0;
                for (int i = 0; i < raw.Length; i++)
                {
                    if (raw[i] == '\\' && i + 1 < raw.Length && (raw[i + 1] == '\\' || LineProtocolSyntax.IsSpecial(kind, raw[i + 1]))) i++;
                    rented[n++] = raw[i];
                }
                return Utf8Strict.GetString(rented, 0, n);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private readonly LineFieldValue ParseScalar(ReadOnlySpan<byte> raw, string key, int start) =>
            TryParseScalar(raw, out var value, out string? problem) ? value : throw Fail($"field {Quote(key)} {problem}", start);

        private readonly LineProtocolException Fail(string reason, int position) => new(reason, _lineNumber, position + 1);

        private static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
        {
            int at = 0;
            while (at < line.Length && Rune.DecodeFromUtf8(line[at..], out _, out int used) == OperationStatus.Done) at += used;
            return at;
        }

        /// <summary>Names from the input in error messages, cut short: the input may be hostile and long.</summary>
        private static string Quote(string name) => name.Length <= 64 ? $"'{name}'" : $"'{name[..64]}...'";
    }
}
