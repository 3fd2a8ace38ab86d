using System.CommandLine;
using System.Net;
using Gateway.Cli.Pki;

namespace Gateway.Cli.Commands.Cert;

/// <summary>
/// <c>gatewayctl cert issue NAME --ca CA_DIR --out DIR --role gateway|broker|ingest|operator|dashboard [--dns HOST]... [--ip IP]...</c>
/// and <c>gatewayctl cert revoke NAME --ca CA_DIR</c>. Issuing again what --out already holds (same CA, name, role and
/// host names; unrevoked, unexpired, key matching) changes nothing and exits 0; anything else there is refused (exit 1).
/// </summary>
public static class CertCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        return new Command("cert", "Certificates of the fleet CA") { Issue(output, error), Revoke(output, error) };
    }

    private static Command Issue(TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = "the certificate's CN: for a gateway its id (as in the profile's gatewayId)" };
        var ca = new Option<DirectoryInfo>("--ca") { Description = "the CA directory (from `ca init`)", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "where NAME.crt and NAME.key (0600) are written", Required = true };
        var role = new Option<string>("--role") { Description = "gateway | broker | ingest | operator | dashboard (the HTTPS dashboard)", Required = true };
        var dns = new Option<string[]>("--dns") { Description = "a host name clients use for this server (broker, dashboard; repeatable)" };
        var ip = new Option<string[]>("--ip") { Description = "an address clients use for this server (broker, dashboard; repeatable)" };
        var days = new Option<int>("--days") { Description = "validity in days", DefaultValueFactory = _ => 730 };
        var command = new Command("issue", "Issue a certificate and key") { name, ca, outDir, role, dns, ip, days };
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var roleText = parse.GetValue(role)!;
            if (!CertificateRoles.TryParse(roleText, out var r))
                throw new PkiException($"--role must be gateway, broker, ingest, operator or dashboard; got '{roleText}'");
            var addresses = new List<IPAddress>();
            foreach (var text in parse.GetValue(ip) ?? [])
                addresses.Add(IPAddress.TryParse(text, out var a) ? a : throw new PkiException($"--ip '{text}' is not an IPv4 or IPv6 address"));
            var d = parse.GetValue(days);
            if (d is < 1 or > 3650) throw new PkiException($"--days must be between 1 and 3650; got {d}");
            using var authority = FleetCa.Open(parse.GetValue(ca)!.FullName, TimeProvider.System);
            var request = new IssueRequest(parse.GetValue(name)!, r)
            {
                DnsNames = parse.GetValue(dns) ?? [],
                Addresses = addresses,
                Lifetime = TimeSpan.FromDays(d),
            };
            var outcome = authority.IssueOrKeep(request, parse.GetValue(outDir)!.FullName);
            output.WriteLine(outcome.Kept
                ? $"{request.Name} already has this {r.Name()} certificate, valid until {outcome.NotAfter:yyyy-MM-dd}: {outcome.CertificatePath}, {outcome.KeyPath}; nothing was changed"
                : $"issued {r.Name()} certificate CN={request.Name}: {outcome.CertificatePath}, {outcome.KeyPath} (mode 0600)");
            if (r is CertificateRole.Ingest or CertificateRole.Operator)
                output.WriteLine("  the broker grants ingest and operator names by user: re-run `gatewayctl broker config` and restart the broker");
        }));
        return command;
    }

    private static Command Revoke(TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = "the certificate name (CN) to cut off" };
        var ca = new Option<DirectoryInfo>("--ca") { Description = "the CA directory", Required = true };
        var command = new Command("revoke", "Revoke every certificate of NAME and re-sign CA_DIR/crl.pem") { name, ca };
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            using var authority = FleetCa.Open(parse.GetValue(ca)!.FullName, TimeProvider.System);
            var n = parse.GetValue(name)!;
            var serials = authority.Revoke(n);
            output.WriteLine(serials.Count == 0
                ? $"'{n}' had no valid certificate left; {authority.CrlPath} re-signed"
                : $"revoked {serials.Count} certificate(s) of '{n}' ({string.Join(", ", serials)}); {authority.CrlPath} updated");
            output.WriteLine("  copy crl.pem to the broker's config directory and restart mosquitto: it reads the CRL when it starts");
        }));
        return command;
    }
}
