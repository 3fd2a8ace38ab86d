using System.CommandLine;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Commands.Provision;

/// <summary>
/// <c>gatewayctl provision TARGET --profile FILE --ca CA_DIR --certs DIR --agent DIR [--root DIR] [--ssh-config FILE]</c>:
/// one repeatable command from a bare Raspberry Pi OS (or an image root) to a running, enrolled gateway.
/// </summary>
public static class ProvisionCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("TARGET") { Description = "[USER@]HOST as for ssh (your keys, agent and ~/.ssh/config are used; never a password)" };
        var profile = new Option<FileInfo>("--profile") { Description = "the gateway's profile (its gatewayId names the certificate)", Required = true };
        var ca = new Option<DirectoryInfo>("--ca") { Description = "the fleet CA directory (ca.crt is installed; the key never leaves the laptop)", Required = true };
        var certs = new Option<DirectoryInfo>("--certs") { Description = "where GATEWAY_ID.crt and GATEWAY_ID.key are (from `cert issue`)", Required = true };
        var agent = new Option<DirectoryInfo?>("--agent") { Description = "a published agent folder to copy to /opt/gateway-agent (dotnet publish src/Gateway.Agent -c Release -r linux-arm64 -o DIR); or --package" };
        var package = new Option<FileInfo?>("--package") { Description = "the gateway-agent_VERSION_ARCH.deb to install with dpkg (deploy/package/build.sh); an upgrade keeps the journal, keys and profile" };
        var arch = new Option<string?>("--arch") { Description = "the image's Debian architecture (arm64, amd64) with --root, when it is not the SSH host's" };
        var root = new Option<string>("--root") { Description = "prefix for every path on the target: an image's root for image builders", DefaultValueFactory = _ => "/" };
        var sshConfig = new Option<FileInfo?>("--ssh-config") { Description = "an ssh_config file (ssh -F) instead of ~/.ssh/config" };
        var firmware = new Option<DirectoryInfo?>("--firmware") { Description = "firmware-config/raspberrypi (default: found beside the profile's folder or in the current directory)" };
        var wait = new Option<int>("--wait") { Description = "seconds to wait for the agent's birth message", DefaultValueFactory = _ => 90 };
        var command = new Command("provision", "Install and start the agent on a gateway over SSH (idempotent)")
        {
            target, profile, ca, certs, agent, package, arch, root, sshConfig, firmware, wait,
        };
        command.SetAction((parse, _) => CliErrors.RunAsync(error, () =>
        {
            var profilePath = parse.GetValue(profile)!.FullName;
            if ((parse.GetValue(agent) is null) == (parse.GetValue(package) is null))
                throw new ProvisioningException("pass exactly one of --package FILE.deb (the gateway-agent package; deploy/package/build.sh) and --agent DIR (a published agent folder)");
            var request = new ProvisionRequest(parse.GetValue(target)!, profilePath, parse.GetValue(agent)?.FullName ?? "",
                parse.GetValue(ca)!.FullName, parse.GetValue(certs)!.FullName)
            {
                Root = parse.GetValue(root)!,
                PackagePath = parse.GetValue(package)?.FullName,
                Arch = parse.GetValue(arch),
                SshConfig = parse.GetValue(sshConfig)?.FullName,
                FirmwareDir = parse.GetValue(firmware)?.FullName ?? FindFirmware(profilePath),
                BirthTimeout = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(wait), 5, 3600)),
            };
            return new Provisioner(request, output).RunAsync();
        }));
        return command;
    }

    /// <summary>firmware-config/raspberrypi beside the profile's folder, in the current directory, or from the package.</summary>
    public static string FindFirmware(string profilePath) => ConfigCommands.Beside(profilePath, "raspberrypi", "");
}
