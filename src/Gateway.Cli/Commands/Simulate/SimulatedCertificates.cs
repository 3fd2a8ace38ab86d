using Gateway.Cli.Pki;

namespace Gateway.Cli.Commands.Simulate;

/// <summary>
/// The certificates of a simulated fleet on a TLS broker: each gateway its own (CN = its id), so the broker's ACL
/// treats it exactly as a real gateway. With a CA directory, the ones missing from the certificate directory are
/// issued (a re-run reuses them); without one, every gateway must already have its pair.
/// </summary>
internal static class SimulatedCertificates
{
    /// <summary>Null when every gateway can connect; otherwise what is missing and what to do.</summary>
    public static string? Prepare(FleetSimulatorOptions options, string? caDir)
    {
        if (options.CaFile is null)
            return options.CertDir is not null || caDir is not null ? "--certs and --ca need --cafile (the fleet CA the broker's certificate must chain to)" : null;
        if (options.CertDir is null) return "--cafile needs --certs DIR: each simulated gateway connects with its own certificate (ID.crt, ID.key)";
        var missing = Enumerable.Range(0, options.Gateways).Select(options.GatewayId)
            .Where(id => !File.Exists(Path.Combine(options.CertDir, $"{id}.crt")) || !File.Exists(Path.Combine(options.CertDir, $"{id}.key"))).ToList();
        if (missing.Count == 0) return null;
        if (caDir is null)
            return $"{missing.Count} gateway certificates are missing from {options.CertDir} (first: {missing[0]}.crt); give --ca CA_DIR to issue them";
        try
        {
            using var ca = FleetCa.Open(caDir, TimeProvider.System);
            foreach (var id in missing) ca.Issue(new IssueRequest(id, CertificateRole.Gateway), options.CertDir);
            return null;
        }
        catch (PkiException ex)
        {
            return ex.Message;
        }
    }
}
