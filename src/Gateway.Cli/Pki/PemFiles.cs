using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Core.Files;

namespace Gateway.Cli.Pki;

/// <summary>
/// Writes PEM files the way a CA must: private keys are created with mode 0600 from the first byte (never written
/// world-readable and chmod-ed afterwards), and every file is written to a temporary name and renamed, so a crash
/// never leaves half a key or a truncated CRL that the broker would refuse to load.
/// </summary>
public static class PemFiles
{
    public const UnixFileMode PrivateMode = AtomicFile.OwnerOnly;
    public const UnixFileMode PublicMode = AtomicFile.Readable;

    public static void WriteCertificate(string path, X509Certificate2 certificate) =>
        WriteAtomic(path, certificate.ExportCertificatePem() + "\n", PublicMode);

    public static void WritePrivateKey(string path, ECDsa key) =>
        WriteAtomic(path, key.ExportPkcs8PrivateKeyPem() + "\n", PrivateMode);

    public static void WriteCrl(string path, byte[] der) =>
        WriteAtomic(path, new string(PemEncoding.Write("X509 CRL", der)) + "\n", PublicMode);

    /// <summary>Crash-atomic and durable (<see cref="AtomicFile"/>); on Windows (an engineer's laptop) the key is
    /// protected by the profile directory's ACL instead of the mode.</summary>
    public static void WriteAtomic(string path, string text, UnixFileMode mode) => AtomicFile.WriteAllText(path, text, mode);

    public static X509Certificate2 ReadCertificate(string path)
    {
        if (!File.Exists(path)) throw new PkiException($"{path} does not exist; create the CA first with `gatewayctl ca init --dir {Path.GetDirectoryName(path)}`");
        return X509Certificate2.CreateFromPem(File.ReadAllText(path));
    }

    public static ECDsa ReadPrivateKey(string path)
    {
        if (!File.Exists(path)) throw new PkiException($"{path} does not exist; create the CA first with `gatewayctl ca init --dir {Path.GetDirectoryName(path)}`");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
