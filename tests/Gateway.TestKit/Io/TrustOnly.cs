using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.TestKit.Io;

/// <summary>HTTPS clients that trust exactly one CA (the fleet's), as a browser with only that CA installed would.</summary>
public static class TrustOnly
{
    /// <summary>A handler that accepts a server certificate only when it chains to <paramref name="root"/> and names the host.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2 root)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) => ChainsTo(root, presented, errors);
        return handler;
    }

    private static bool ChainsTo(X509Certificate2 root, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf);
    }
}
