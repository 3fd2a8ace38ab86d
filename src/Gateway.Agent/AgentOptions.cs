namespace Gateway.Agent;

/// <summary>What the command line gives the agent: <c>gateway-agent --profile FILE [--state-dir DIR] [--broker HOST:PORT]</c>.</summary>
public sealed record AgentOptions(string ProfilePath, string StateDirectory, string? BrokerOverride)
{
    public const string Usage = """
        usage: gateway-agent --profile FILE [--state-dir DIR] [--broker HOST:PORT]

          --profile FILE       gateway profile (JSON), e.g. firmware-config/profiles/demo-checkpoint.json
          --state-dir DIR      where the agent keeps its state (default: $STATE_DIRECTORY from systemd, else ./state)
          --broker HOST:PORT   use this broker instead of the profile's (for tests and bench rigs)
        """;

    /// <summary>Parses the command line; returns null and sets <paramref name="error"/> on bad usage.</summary>
    public static AgentOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        string? profile = null, state = null, broker = null;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help") { error = ""; return null; }
            if (arg is not ("--profile" or "--state-dir" or "--broker"))
            {
                error = $"unknown argument '{arg}'";
                return null;
            }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{arg} needs a value";
                return null;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--profile": profile = value; break;
                case "--state-dir": state = value; break;
                default: broker = value; break;
            }
        }
        if (profile is null)
        {
            error = "--profile is required";
            return null;
        }
        if (broker is not null && !TryParseHostPort(broker, out _, out _))
        {
            error = $"--broker must be HOST:PORT; got '{broker}'";
            return null;
        }
        state ??= Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } systemdState
            ? systemdState.Split(':')[0]
            : Path.Combine(Environment.CurrentDirectory, "state");
        return new AgentOptions(profile, state, broker);
    }

    public static bool TryParseHostPort(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0) return false;
        host = value[..colon];
        return int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
