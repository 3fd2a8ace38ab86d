using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Gateway.Cli.Commands;
using Gateway.Cli.Commands.Broker;
using Gateway.Cli.Commands.Ca;
using Gateway.Cli.Commands.Cert;
using Gateway.Cli.Commands.Logs;
using Gateway.Cli.Commands.Provision;
using Gateway.Cli.Commands.Status;
using Gateway.Cli.Commands.Diag;
using Gateway.Cli.Commands.Tags;

namespace Gateway.Cli;

/// <summary>The command tree of <c>gatewayctl</c>, with its output writers injected so tests run it in-process.</summary>
public static class GatewayCtl
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("gatewayctl: provision, check and diagnose field telemetry gateways")
        {
            ConfigCommands.Create(output, error),
            Commands.Gps.GpsCommands.Create(output, error),
            CaCommands.Create(output, error),
            CertCommands.Create(output, error),
            BrokerCommands.Create(output, error),
            ProvisionCommands.Create(output, error),
            StatusCommands.Create(output, error),
            LogsCommands.Create(output, error),
            TagsCommands.Create(output, error),
            DiagCommand.Create(output, error),
            Commands.Simulate.SimulateCommands.Create(output, error),
            Commands.Cmd.CmdCommand.Create(output, error),
        };
        Commands.Mqtt.MqttCommands.AddTo(root, output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction) return UsageError(parse, error);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>
    /// A command line that does not parse: each problem on one line, naming the command, and where the usage is; exit 1
    /// like every other gatewayctl error. (System.CommandLine's default prints a "did you mean" list and the whole help,
    /// which pushes the one line that matters off the screen.)
    /// </summary>
    private static int UsageError(ParseResult parse, TextWriter error)
    {
        var path = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent) path.Insert(0, c.Parent is null ? "gatewayctl" : c.Command.Name);
        var command = string.Join(' ', path);
        foreach (var problem in parse.Errors) error.WriteLine($"{command}: {problem.Message}");
        error.WriteLine($"Run '{command} --help' for its arguments and options.");
        return 1;
    }
}
