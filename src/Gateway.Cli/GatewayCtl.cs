using System.CommandLine;
using Gateway.Cli.Commands;

namespace Gateway.Cli;

/// <summary>The command tree of <c>gatewayctl</c>, with its output writers injected so tests run it in-process.</summary>
public static class GatewayCtl
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("gatewayctl: provision, check and diagnose field telemetry gateways")
        {
            ConfigCommands.Create(output, error),
        };
        Commands.Mqtt.MqttCommands.AddTo(root, output, error);
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
