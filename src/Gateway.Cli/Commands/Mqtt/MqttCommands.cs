using System.CommandLine;
using System.CommandLine.Help;

namespace Gateway.Cli.Commands.Mqtt;

/// <summary>
/// <c>gatewayctl pub</c> and <c>gatewayctl sub</c>: mosquitto_pub/mosquitto_sub habits on our own client, so an
/// engineer tests a link with the same flags (-h -p -t -m -l -f -s -q -r -i -k -V --cafile --cert --key -u -P; sub: -C -v -N
/// -W -R -F). cmd and simulate fleet share the connection flags (<see cref="ConnectionOptions"/>).
/// </summary>
public static class MqttCommands
{
    /// <summary>Adds pub and sub. mosquitto's tools use -h for the host, so help keeps only --help, -? and /?.</summary>
    public static void AddTo(RootCommand root, TextWriter output, TextWriter error)
    {
        foreach (var help in root.Options.OfType<HelpOption>()) help.Aliases.Remove("-h");
        root.Subcommands.Add(PubCommand.Create(output, error));
        root.Subcommands.Add(SubCommand.Create(output, error));
    }
}
