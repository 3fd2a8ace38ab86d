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
        var brokerCert = new Option<FileInfo?>("--broker-cert") { Description = "use this broker certificate (cert issue NAME --role broker) instead of issuing one" };
        var brokerKey = new Option<FileInfo?>("--broker-key") { Description = "its key (default: the certificate's path with .key)" };
        var gateways = new Option<int>("--gateways") { Description = "gateways in the fleet: sizes the ingest's queue (default 100)", DefaultValueFactory = _ => 100 };
        var outage = new Option<double>("--outage-hours") { Description = "how long the ingest may be away without the broker dropping what it acknowledged (default 4)", DefaultValueFactory = _ => 4 };
        var autosave = new Option<int>("--autosave-seconds") { Description = "save the broker's state every N s instead of after every change (0, the default)", DefaultValueFactory = _ => 0 };
        var config = new Command("config", "Write a mosquitto configuration for the fleet: TLS, client certificates, CRL, ACL")
        {
            ca, outDir, port, host, bind, user, dataDir, confDir, brokerCert, brokerKey, gateways, outage, autosave,
        };
        config.SetAction(parse => CliErrors.Run(error, () =>
        {
            var p = parse.GetValue(port);
            if (p is < 1 or > 65535) throw new PkiException($"--port must be 1-65535; got {p}");
            var named = parse.GetValue(brokerCert);
            // A named certificate is checked only against the hosts asked for; without --host it is taken as it is.
            var hosts = parse.GetValue(host) is { Length: > 0 } h ? h : named is not null ? [] : ["localhost", "127.0.0.1"];
            var g = parse.GetValue(gateways);
            if (g is < 1 or > 1_000_000) throw new PkiException($"--gateways must be 1-1000000; got {g}");
            var o = parse.GetValue(outage);
            if (o is <= 0 or > 24 * 30) throw new PkiException($"--outage-hours must be above 0 and at most 720; got {o}");
            var a = parse.GetValue(autosave);
            if (a is < 0 or > 3600) throw new PkiException($"--autosave-seconds must be 0-3600; got {a}");
            using var authority = FleetCa.Open(parse.GetValue(ca)!.FullName, TimeProvider.System);
            var request = new BrokerConfigRequest(parse.GetValue(outDir)!.FullName)
            {
                Port = p,
                Hosts = hosts,
                Bind = parse.GetValue(bind),
                User = parse.GetValue(user)!,
                DataDir = parse.GetValue(dataDir)!,
                ConfDir = parse.GetValue(confDir),
                BrokerCertificate = named?.FullName,
                BrokerKey = parse.GetValue(brokerKey)?.FullName,
                Gateways = g,
                OutageHours = o,
                AutosaveSeconds = a,
            };
            var (written, manual) = BrokerConfig.Write(authority, request);
            output.WriteLine($"wrote {string.Join(", ", written)} in {Path.GetFullPath(request.OutDir)}");
            output.WriteLine($"  one TLS listener on port {p} (client certificates required, CN = user, CRL checked); no plain TCP");
            output.WriteLine(request.BrokerCertificate is null ? "  broker certificate: broker.crt (issued or kept by this command)" : $"  broker certificate: {request.BrokerCertificate} (copied to broker.crt/.key)");
            output.WriteLine(System.FormattableString.Invariant($"  the ingest's queue holds {request.QueuedMessages} messages / {request.QueuedBytes} bytes ({g} gateways x {o} h); state saved {(a == 0 ? "after every change" : $"every {a} s")}"));
            if (manual is not null)
                output.WriteLine($"  mosquitto reads its key as user '{request.User}': on the broker host run `{manual}`");
            output.WriteLine($"  start: mosquitto -c {Path.Combine(request.ConfDir ?? Path.GetFullPath(request.OutDir), "mosquitto.conf")}");
        }));
        return new Command("broker", "The central broker's configuration") { config };
    }
}
