using System.CommandLine;
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
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
