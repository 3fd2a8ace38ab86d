namespace Gateway.Mqtt;

/// <summary>Which file of <see cref="MqttTlsOptions"/> a problem is in.</summary>
public enum MqttTlsFile
{
    CaFile,
    CertificateFile,
    KeyFile,
}

/// <summary>
/// A TLS file that cannot be used: missing, unreadable, not PEM, or a key that does not belong to its certificate.
/// <see cref="Problem"/> starts with the path and says what to do, so a caller can prefix it with its own name for the
/// setting ("'broker.tls.keyFile' names ...", "--key ...") and stop with one line (STYLE.md habit 10).
/// </summary>
public sealed class MqttTlsFileException(MqttTlsFile file, string path, string problem, Exception? inner = null)
    : ArgumentException($"TLS {Describe(file)} {path} {problem}", inner)
{
    public MqttTlsFile File { get; } = file;

    public string FilePath { get; } = path;

    /// <summary>What is wrong and what to do, without the path: "does not exist; give ...".</summary>
    public string Problem { get; } = problem;

    private static string Describe(MqttTlsFile file) => file switch
    {
        MqttTlsFile.CaFile => "CA file",
        MqttTlsFile.CertificateFile => "certificate file",
        _ => "key file",
    };
}
