using System.CommandLine;
using Gateway.Cli.Commands.Mqtt;
using Gateway.Mqtt;

namespace Gateway.Cli.Commands.Cmd;

/// <summary>
/// <c>gatewayctl cmd GATEWAY NAME [ARGS]</c>: sends one downlink command with an operator certificate and prints the
/// gateway's JSON reply. Exit 0 when the gateway did it, 1 when it (or the broker) refused or the connection failed,
/// 2 when no reply came in time.
/// </summary>
internal static class CmdCommand
{
    public const int ExitTimeout = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var gateway = new Argument<string>("GATEWAY") { Description = "the gateway id (its certificate's CN)" };
        var name = new Argument<string>("NAME") { Description = "status, flush, set-rate, reload-config, self-test or restart" };
        var args = new Argument<string[]>("ARGS") { Description = "key=value pairs or one JSON object, e.g. source=counter ratePerSecond=2", Arity = ArgumentArity.ZeroOrMore };
        var host = new Option<string>("--host") { Description = "broker host (default localhost)", DefaultValueFactory = _ => "localhost" };
        var port = new Option<int?>("--port") { Description = "broker port (default 8883, 1883 without --cafile)" };
        var caFile = new Option<FileInfo?>("--cafile") { Description = "the fleet CA certificate (PEM); turns TLS on" };
        var cert = new Option<FileInfo?>("--cert") { Description = "your operator certificate (PEM, gatewayctl cert issue NAME --role operator)" };
        var key = new Option<FileInfo?>("--key") { Description = "the key of --cert" };
        var serverName = new Option<string?>("--tls-server-name") { Description = "name the broker's certificate must carry (default the host)" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for the reply (default 10)", DefaultValueFactory = _ => 10 };
        var cmd = new Command("cmd", "Send a command to a gateway (MQTT 5 request/response) and print its reply")
        {
            gateway, name, args, host, port, caFile, cert, key, serverName, timeout,
        };
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
                if (seconds is < 1 or > 3600) throw new ArgumentException($"--timeout {seconds}: give 1-3600 seconds.");
                var payload = CommandArguments.ToJson(parse.GetValue(args) ?? []);
                var ca = parse.GetValue(caFile);
                var c = parse.GetValue(cert);
                var k = parse.GetValue(key);
                if ((c is null) != (k is null)) throw new ArgumentException("--cert and --key go together.");
                var tls = ca is null ? null : new MqttTlsOptions { CaFile = ca.FullName, CertificateFile = c?.FullName, KeyFile = k?.FullName, ServerName = parse.GetValue(serverName) };
                var options = new MqttClientOptions
                {
                    Host = parse.GetValue(host)!,
                    Port = parse.GetValue(port) ?? (tls is null ? 1883 : 8883),
                    ClientId = $"gatewayctl-cmd-{Environment.ProcessId}",
                    ProtocolVersion = MqttProtocolVersion.V500,
                    Tls = tls,
                    // One attempt: an operator at a prompt wants the failure now, not a reconnect loop.
                    ConnectTimeout = TimeSpan.FromSeconds(Math.Min(seconds, 10)),
                };
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
