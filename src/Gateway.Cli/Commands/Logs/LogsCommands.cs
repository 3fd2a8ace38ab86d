using System.CommandLine;
using System.Globalization;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Commands.Logs;

/// <summary><c>gatewayctl logs TARGET [-n LINES] [-f]</c>: the agent's journal over SSH.</summary>
public static class LogsCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("TARGET") { Description = "[USER@]HOST as for ssh" };
        var sshConfig = new Option<FileInfo?>("--ssh-config") { Description = "an ssh_config file (ssh -F)" };
        var lines = new Option<int>("--lines", "-n") { Description = "how many recent lines", DefaultValueFactory = _ => 100 };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new lines (Ctrl-C stops)" };
        var command = new Command("logs", "Show the agent's journal on a gateway") { target, sshConfig, lines, follow };
        command.SetAction((parse, _) => CliErrors.RunAsync(error, async () =>
        {
            var ssh = new SshTarget(parse.GetValue(target)!, parse.GetValue(sshConfig)?.FullName);
            await using var scope = ssh.ConfigureAwait(false);
            var n = Math.Clamp(parse.GetValue(lines), 1, 100_000).ToString(CultureInfo.InvariantCulture);
            var run = await ssh.RunAsync(StatusScripts.Logs, [n, parse.GetValue(follow) ? "1" : "0"], null, output.WriteLine,
                parse.GetValue(follow) ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            if (run.ExitCode != 0) await error.WriteLineAsync($"gatewayctl: {run.Error.Trim()}").ConfigureAwait(false);
            return run.ExitCode == 0 ? 0 : 1;
        }));
        return command;
    }
}
