using System.CommandLine;
using Gateway.Cli.Pki;

namespace Gateway.Cli.Commands.Ca;

/// <summary>
/// <c>gatewayctl ca init --dir CA_DIR</c>: the fleet CA (ca.crt, ca.key 0600, an empty crl.pem, index.json). A second
/// run on the same CA changes nothing and exits 0; a directory holding part of a CA or another CA is refused (exit 1).
/// </summary>
public static class CaCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "directory for the CA (keep it offline: whoever holds ca.key can make gateways)", Required = true };
        var name = new Option<string>("--name") { Description = "the CA certificate's common name", DefaultValueFactory = _ => "Gateway fleet CA" };
        var init = new Command("init", "Create the fleet certificate authority") { dir, name };
        init.SetAction(parse => CliErrors.Run(error, () =>
        {
            var path = parse.GetValue(dir)!.FullName;
            using var ca = FleetCa.InitOrOpen(path, parse.GetValue(name)!, TimeProvider.System, out var created);
            output.WriteLine(created ? $"created the fleet CA in {path}:" : $"the fleet CA in {path} already exists; nothing was changed:");
            output.WriteLine($"  {ca.CertificatePath}  (give to gateways, the broker and operators)");
            output.WriteLine($"  {ca.KeyPath}  (mode 0600; keep offline and backed up)");
            output.WriteLine($"  {ca.CrlPath}  (revocation list; copy to the broker after every `cert revoke`)");
            output.WriteLine($"  valid until {ca.Certificate.NotAfter:yyyy-MM-dd}; next: gatewayctl cert issue NAME --ca {path} --out DIR --role gateway");
        }));
        return new Command("ca", "The fleet certificate authority") { init };
    }
}
