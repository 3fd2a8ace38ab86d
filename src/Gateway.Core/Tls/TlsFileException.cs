namespace Gateway.Core.Tls;

/// <summary>Which of a TLS identity's files a problem is in.</summary>
public enum TlsFile
{
    /// <summary>The CA certificate(s) a peer's certificate is checked against.</summary>
    CaFile,

    /// <summary>Our own certificate (PEM), presented to the peer.</summary>
    CertificateFile,

    /// <summary>The private key of our certificate (PEM, readable only by its owner).</summary>
    KeyFile,
}

/// <summary>
/// A TLS file that cannot be used: missing, unreadable, not PEM, or a key that does not belong to its certificate.
/// <see cref="Problem"/> says what is wrong and what to do, so a caller can prefix it with its own name for the setting
/// ("'broker.tls.keyFile' names PATH, which ...", "--key PATH ...") and stop with one line (STYLE.md habit 10).
/// </summary>
public sealed class TlsFileException(TlsFile file, string path, string problem, Exception? inner = null)
    : ArgumentException($"TLS {Describe(file)} {path} {problem}", inner)
{
    /// <summary>Which file of the identity is wrong, so a caller can name its own setting for it.</summary>
    public TlsFile File { get; } = file;

    /// <summary>The path as the setting gave it.</summary>
    public string FilePath { get; } = path;

    /// <summary>What is wrong and what to do, without the path: "does not exist; give ...".</summary>
    public string Problem { get; } = problem;

    private static string Describe(TlsFile file) => file switch
    {
        TlsFile.CaFile => "CA file",
        TlsFile.CertificateFile => "certificate file",
        _ => "key file",
    };
}
