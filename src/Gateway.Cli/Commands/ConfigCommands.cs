using System.CommandLine;
using Gateway.Agent.Profiles;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>gatewayctl config validate PROFILE</c>: checks a profile exactly as the agent will at start, without touching
/// hardware or network, so an engineer finds a mistake on the laptop instead of in the field.
/// </summary>
public static class ConfigCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var profile = new Argument<FileInfo>("PROFILE") { Description = "gateway profile (JSON), e.g. firmware-config/profiles/demo-checkpoint.json" };
        var validate = new Command("validate", "Check a gateway profile the way the agent does at start") { profile };
        validate.SetAction(parse =>
        {
            var file = parse.GetValue(profile)!;
            try
            {
                var p = ProfileLoader.Load(file.FullName);
                output.WriteLine($"{file.Name}: valid: gateway {p.GatewayId} at {p.Site.Name}, broker {p.Broker.Host}:{p.Broker.Port}, " +
                    $"{p.Sources.Count} sources ({string.Join(", ", p.Sources.Select(s => $"{s.Type} '{s.Name}'"))}), hardware {p.Hardware.ToString().ToLowerInvariant()}");
                return 0;
            }
            catch (ProfileException ex)
            {
                error.WriteLine(ex.Message);
                return 1;
            }
        });
        return new Command("config", "Gateway profiles") { validate };
    }
}
