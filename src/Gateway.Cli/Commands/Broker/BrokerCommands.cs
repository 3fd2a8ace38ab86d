using System.CommandLine;
using Gateway.Cli.Pki;

namespace Gateway.Cli.Commands.Broker;

/// <summary><c>gatewayctl broker config --ca CA_DIR --out DIR [--port 8883] [--host NAME]...</c></summary>
public static class BrokerCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var ca = new Option<DirectoryInfo>("--ca") { Description = "the CA directory", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "where mosquitto.conf, acl, certificates and crl.pem are written", Required = true };
        var port = new Option<int>("--port") { Description = "TLS listener port", DefaultValueFactory = _ => 8883 };
        var host = new Option<string[]>("--host") { Description = "a name or address gateways connect to (repeatable; default localhost and 127.0.0.1)" };
        var bind = new Option<string?>("--bind") { Description = "listen on this address only (default: every interface)" };
        var user = new Option<string>("--user") { Description = "user mosquitto drops to when started as root", DefaultValueFactory = _ => "mosquitto" };
        var dataDir = new Option<string>("--data-dir") { Description = "persistence directory", DefaultValueFactory = _ => "/var/lib/mosquitto/" };
        var confDir = new Option<string?>("--conf-dir") { Description = "where these files will live on the broker host (default: --out)" };
        var config = new Command("config", "Write a mosquitto configuration for the fleet: TLS, client certificates, CRL, ACL")
        {
            ca, outDir, port, host, bind, user, dataDir, confDir,
        };
        config.SetAction(parse => CliErrors.Run(error, () =>
        {
            var p = parse.GetValue(port);
            if (p is < 1 or > 65535) throw new PkiException($"--port must be 1-65535; got {p}");
            var hosts = parse.GetValue(host) is { Length: > 0 } h ? h : ["localhost", "127.0.0.1"];
            using var authority = FleetCa.Open(parse.GetValue(ca)!.FullName, TimeProvider.System);
            var request = new BrokerConfigRequest(parse.GetValue(outDir)!.FullName)
            {
                Port = p,
                Hosts = hosts,
                Bind = parse.GetValue(bind),
                User = parse.GetValue(user)!,
                DataDir = parse.GetValue(dataDir)!,
                ConfDir = parse.GetValue(confDir),
            };
            var (written, manual) = BrokerConfig.Write(authority, request);
            output.WriteLine($"wrote {string.Join(", ", written)} in {Path.GetFullPath(request.OutDir)}");
            output.WriteLine($"  one TLS listener on port {p} (client certificates required, CN = user, CRL checked); no plain TCP");
            if (manual is not null)
                output.WriteLine($"  mosquitto reads its key as user '{request.User}': on the broker host run `{manual}`");
            output.WriteLine($"  start: mosquitto -c {Path.Combine(request.ConfDir ?? Path.GetFullPath(request.OutDir), "mosquitto.conf")}");
        }));
        return new Command("broker", "The central broker's configuration") { config };
    }
}
