using System.CommandLine;
using Gateway.Cli.Commands.Mqtt;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Cmd;

/// <summary>
/// <c>gatewayctl cmd GATEWAY NAME [ARGS] -h HOST --cafile CA --cert OPERATOR.crt --key OPERATOR.key [-W SECONDS]</c>:
/// sends one downlink command on <c>cmd/{gateway}/{name}</c> with an operator certificate and prints the gateway's JSON
/// reply. The connection flags are pub's and sub's (<see cref="ConnectionOptions"/>). Exit 0 when the gateway did it,
/// 1 when it (or the broker) refused or the connection failed, 2 when no reply came in time.
/// </summary>
internal static class CmdCommand
{
    public const int ExitTimeout = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var gateway = new Argument<string>("GATEWAY") { Description = "the gateway id (its certificate's CN)" };
        var name = new Argument<string>("NAME") { Description = "status, flush, set-rate, reload-config, self-test or restart" };
        var args = new Argument<string[]>("ARGS") { Description = "key=value pairs or one JSON object, e.g. source=counter ratePerSecond=2", Arity = ArgumentArity.ZeroOrMore };
        // Commands are MQTT 5 requests (response topic, correlation data): 5.0 is the default and the only choice.
        var connection = new ConnectionOptions("mqttv5");
        var timeout = new Option<int>("--timeout", "-W") { Description = "seconds to wait for the reply (default 10), as mosquitto_sub's -W", DefaultValueFactory = _ => 10 };
        var stdin = new Option<bool>("--stdin-file", "-s") { Description = "read the arguments (one JSON object) from stdin, as mosquitto_pub's -s" };
        var cmd = new Command("cmd", "Send a command to a gateway (MQTT 5 request/response on cmd/GATEWAY/NAME) and print its reply")
        {
            gateway, name, args, timeout, stdin,
        };
        connection.AddTo(cmd, messageFlags: false);
        cmd.SetAction(async (parse, ct) =>
        {
            var result = 0;
            var run = await MqttRun.RunAsync(error, async () =>
            {
                var id = parse.GetValue(gateway)!;
                var command = parse.GetValue(name)!;
                if (!IsTopicLevel(id)) throw new ArgumentException($"GATEWAY '{id}' is not a gateway id (a-z, 0-9, '-', '_').");
                if (!IsTopicLevel(command)) throw new ArgumentException($"NAME '{command}' is not a command name; try status.");
                var seconds = parse.GetValue(timeout);
                if (seconds is < 1 or > 3600) throw new ArgumentException($"-W {seconds}: give 1-3600 seconds.");
                if (connection.GetVersion(parse) != MqttProtocolVersion.V500)
                    throw new ArgumentException("-V mqttv311: commands are MQTT 5 requests (a response topic and correlation data); use -V mqttv5, the default.");
                var given = parse.GetValue(args) ?? [];
                if (parse.GetValue(stdin))
                {
                    if (given.Length > 0) throw new ArgumentException("-s reads the arguments from stdin: give no ARGS with it.");
                    given = [await Console.In.ReadToEndAsync(ct).ConfigureAwait(false)];
                }
                var payload = CommandArguments.ToJson(given);
                // One attempt: an operator at a prompt wants the failure now, not a reconnect loop.
                var options = connection.Build(parse, clientIdPrefix: "gatewayctl-cmd", connectTimeout: TimeSpan.FromSeconds(Math.Min(seconds, 10)));
                var response = await CommandClient.SendAsync(options, id, command, payload, TimeSpan.FromSeconds(seconds), TimeProvider.System, ct).ConfigureAwait(false);
                switch (response.Outcome)
                {
                    case CommandOutcome.Done:
                        await output.WriteLineAsync(response.Text).ConfigureAwait(false);
                        break;
                    case CommandOutcome.Refused:
                        await output.WriteLineAsync(response.Text).ConfigureAwait(false);
                        await error.WriteLineAsync($"Error: {id} refused '{command}' (see \"error\" above).").ConfigureAwait(false);
                        result = 1;
                        break;
                    case CommandOutcome.NotAuthorized:
                        await error.WriteLineAsync($"Error: {response.Text}").ConfigureAwait(false);
                        result = 1;
                        break;
                    default:
                        await error.WriteLineAsync($"Error: {response.Text}").ConfigureAwait(false);
                        result = ExitTimeout;
                        break;
                }
            }).ConfigureAwait(false);
            return run != 0 ? run : result;
        });
        return cmd;
    }

    private static bool IsTopicLevel(string s) => s.Length is > 0 and <= 64 && s.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '_');
}
