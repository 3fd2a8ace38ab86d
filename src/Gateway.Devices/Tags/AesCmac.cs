using System.Security.Cryptography;

namespace Gateway.Devices.Tags;

/// <summary>
/// AES-128-CMAC (RFC 4493, NIST SP 800-38B) on the framework's AES: the block cipher is
/// <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/> on one 16-byte block at a time, the CMAC
/// chaining and subkeys are done here (§2.3, §2.4). Tested with the RFC's four vectors. Not thread-safe: one instance
/// per key and caller; the subkeys are computed once per key.
/// </summary>
public sealed class AesCmac : IDisposable
{
    /// <summary>The block and key size of AES-128.</summary>
    public const int BlockSize = 16;

    /// <summary>RFC 4493 §2.3 const_Rb: the reduction constant of GF(2^128) for a left shift that carries out.</summary>
    private const byte Rb = 0x87;

    private readonly Aes _aes;
    private readonly byte[] _k1 = new byte[BlockSize];
    private readonly byte[] _k2 = new byte[BlockSize];

    /// <summary>Copies the 16-byte <paramref name="key"/> and derives the subkeys K1 and K2 once (§2.3).</summary>
    public AesCmac(ReadOnlySpan<byte> key)
    {
        if (key.Length != BlockSize) throw new ArgumentException($"An AES-128 key is {BlockSize} bytes; got {key.Length}.", nameof(key));
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        // §2.3 Generate_Subkey: L = AES-128(K, 0^128); K1 = L << 1 (xor Rb if msb(L)); K2 = K1 << 1 (xor Rb if msb(K1)).
        Span<byte> l = stackalloc byte[BlockSize];
        _aes.EncryptEcb(stackalloc byte[BlockSize], l, PaddingMode.None);
        DoubleInGf(l, _k1);
        DoubleInGf(_k1, _k2);
        CryptographicOperations.ZeroMemory(l);
    }

    /// <summary>Computes the 16-byte MAC of <paramref name="message"/> into <paramref name="mac"/> (§2.4 Generate_MAC).</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (mac.Length < BlockSize) throw new ArgumentException($"The MAC needs {BlockSize} bytes.", nameof(mac));
        // n blocks, the last complete only when the message is a non-empty multiple of the block size.
        var n = Math.Max(1, (message.Length + BlockSize - 1) / BlockSize);
        var lastComplete = message.Length > 0 && message.Length % BlockSize == 0;
        Span<byte> x = stackalloc byte[BlockSize];
        Span<byte> y = stackalloc byte[BlockSize];
        x.Clear();
        for (var i = 0; i < n - 1; i++)
        {
            Xor(x, message.Slice(i * BlockSize, BlockSize), y);
            _aes.EncryptEcb(y, x, PaddingMode.None);
        }
        // M_last: the final block xor K1 when complete; else padded with 10^i and xor K2.
        Span<byte> last = stackalloc byte[BlockSize];
        var tail = message[((n - 1) * BlockSize)..];
        last.Clear();
        tail.CopyTo(last);
        if (lastComplete)
        {
            Xor(last, _k1, last);
        }
        else
        {
            last[tail.Length] = 0x80;
            Xor(last, _k2, last);
        }
        Xor(x, last, y);
        _aes.EncryptEcb(y, mac[..BlockSize], PaddingMode.None);
    }

    /// <summary>One-shot MAC with a fresh instance, for tools and tests.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        using var cmac = new AesCmac(key);
        var mac = new byte[BlockSize];
        cmac.Compute(message, mac);
        return mac;
    }

    /// <summary>Zeroes the subkeys and disposes the AES instance (which clears its key): a tag key does not linger in memory.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_k1);
        CryptographicOperations.ZeroMemory(_k2);
        _aes.Dispose();
    }

    /// <summary>Multiplication by x in GF(2^128): a one-bit left shift of the big-endian block, reduced by Rb.</summary>
    private static void DoubleInGf(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var carry = (input[0] & 0x80) != 0;
        for (var i = 0; i < BlockSize - 1; i++)
            output[i] = (byte)((input[i] << 1) | (input[i + 1] >> 7));
        output[BlockSize - 1] = (byte)(input[BlockSize - 1] << 1);
        if (carry) output[BlockSize - 1] ^= Rb;
    }

    private static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> result)
    {
        for (var i = 0; i < BlockSize; i++) result[i] = (byte)(a[i] ^ b[i]);
    }
}
