namespace Gateway.Cli.Pki;

/// <summary>A CA operation that cannot be done; the message says what to do instead. The CLI prints it and exits 1.</summary>
public sealed class PkiException(string message) : Exception(message);
