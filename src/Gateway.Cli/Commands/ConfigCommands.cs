using System.CommandLine;
using System.Text.Json;
using Gateway.Agent.Profiles;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>gatewayctl config validate PROFILE [--schema FILE] [--firmware DIR] [--boot-config FILE]</c>: checks a profile
/// against its JSON schema (every problem at once), exactly as the agent will at start, and against firmware-config
/// (a GPS on the UART needs the UART overlay, a BME280 needs I2C, the radio needs SPI), without touching hardware or
/// network, so an engineer finds a mistake on the laptop instead of in the field. One line per problem.
/// </summary>
public static class ConfigCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var profile = new Argument<FileInfo>("PROFILE") { Description = "gateway profile (JSON), e.g. firmware-config/profiles/demo-checkpoint.json" };
        var schema = new Option<FileInfo?>("--schema") { Description = "the profile schema (default: firmware-config/schema/gateway-profile.schema.json beside the profile's folder)" };
        var firmware = new Option<DirectoryInfo?>("--firmware") { Description = "firmware-config/raspberrypi (default: beside the profile's folder)" };
        var boot = new Option<FileInfo?>("--boot-config") { Description = "a gateway's config.txt: check that it enables what the profile needs" };
        var validate = new Command("validate", "Check a gateway profile: schema, agent rules, firmware overlays") { profile, schema, firmware, boot };
        validate.SetAction(parse =>
        {
            var file = parse.GetValue(profile)!;
            var problems = new List<string>();
            var notes = new List<string>();
            GatewayProfile? p = null;
            string? json = null;
            try
            {
                json = File.Exists(file.FullName) && file.Length <= ProfileLoader.MaxProfileBytes ? File.ReadAllText(file.FullName) : null;
            }
            catch (IOException) { }

            if (json is not null)
                CheckSchema(json, parse.GetValue(schema)?.FullName ?? Beside(file.FullName, "schema", "gateway-profile.schema.json"), parse.GetValue(schema) is not null, problems, notes);
            try
            {
                p = ProfileLoader.Load(file.FullName);
            }
            catch (ProfileException ex)
            {
                // The schema already named this key: one message per problem.
                if (ex.Key.Length == 0 || !problems.Exists(m => m.StartsWith($"'{ex.Key}'", StringComparison.Ordinal)))
                    problems.Add(ex.Message.StartsWith("profile ", StringComparison.Ordinal) ? ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..] : ex.Message);
            }
            if (p is not null && problems.Count == 0)
                CheckFirmware(p, parse.GetValue(firmware)?.FullName ?? Beside(file.FullName, "raspberrypi", ""), parse.GetValue(boot)?.FullName, problems, notes);

            if (problems.Count > 0)
            {
                foreach (var m in problems) error.WriteLine($"profile {file.Name}: {m}");
                error.WriteLine($"{problems.Count} problem(s) in {file.Name}");
                return 1;
            }
            if (p!.GatewayId == ExampleGatewayId)
                notes.Add($"warning: gatewayId '{ExampleGatewayId}' is the example's: give this gateway its own id (it is its MQTT topic level and its certificate's CN)");
            output.WriteLine($"{file.Name}: valid: gateway {p.GatewayId} at {p.Site.Name}, broker {p.Broker.Host}:{p.Broker.Port}, " +
                $"{p.Sources.Count} sources ({string.Join(", ", p.Sources.Select(s => $"{s.Type} '{s.Name}'"))}), hardware {p.Hardware.ToString().ToLowerInvariant()}");
            foreach (var n in notes) output.WriteLine($"  {n}");
            return 0;
        });
        return new Command("config", "Gateway profiles") { validate };
    }

    private static void CheckSchema(string json, string schemaPath, bool explicitSchema, List<string> problems, List<string> notes)
    {
        if (!File.Exists(schemaPath))
        {
            if (explicitSchema) problems.Add($"schema {schemaPath} does not exist");
            else notes.Add($"schema not found at {schemaPath}; checked with the agent's rules only (pass --schema)");
            return;
        }
        try
        {
            using var schema = JsonDocument.Parse(File.ReadAllText(schemaPath));
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 });
            problems.AddRange(JsonSchemaCheck.Validate(schema.RootElement, doc.RootElement));
        }
        catch (JsonException)
        {
            // Not JSON at all: the agent's loader says where, in its own words.
        }
    }

    /// <summary>The gateway id of firmware-config/profiles/reference-pi.json, which a copied profile must not keep.</summary>
    public const string ExampleGatewayId = "cp-ref-01";

    private static void CheckFirmware(GatewayProfile profile, string firmwareDir, string? bootConfig, List<string> problems, List<string> notes)
    {
        var pins = PinMap.Read(profile);
        problems.AddRange(PinMap.Conflicts(pins));
        var oneWirePins = PinMap.OneWirePins(pins);
        var needs = ProfileHardware.Read(profile);
        var bootLines = bootConfig is null ? null
            : File.Exists(bootConfig) ? File.ReadAllLines(bootConfig).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal)
            : null;
        if (bootConfig is not null && bootLines is null) problems.Add($"--boot-config {bootConfig} does not exist");
        if (profile.Hardware == HardwareMode.Simulated && bootConfig is null)
        {
            notes.Add("hardware simulated: no overlays needed (pins checked as wired on the reference build)");
            return;
        }
        foreach (var n in needs.Where(n => n.Interface is not null))
        {
            var fragment = Path.Combine(firmwareDir, n.Interface!.Value.FileName());
            var what = $"source '{n.Source}' ({n.Type}{(n.Devices.Count > 0 ? $" on {n.Devices[0]}" : "")}) needs {n.Interface!.Value.Display()}";
            if (!File.Exists(fragment))
            {
                problems.Add($"{what}, but {fragment} does not exist (pass firmware-config/raspberrypi with --firmware; the gateway-agent package installs it in {PackagedFirmware})");
                continue;
            }
            var required = ProfileHardware.RequiredLines(File.ReadAllText(fragment), oneWirePins);
            if (bootLines is not null)
            {
                var missing = required.Where(l => !bootLines.Contains(l)).ToList();
                if (missing.Count > 0)
                    problems.Add($"{what}, but {Path.GetFileName(bootConfig)} lacks {string.Join(", ", missing.Select(m => $"'{m}'"))} ({fragment}); `gatewayctl provision` adds it, then reboot");
            }
            notes.Add($"{what}: {string.Join(", ", required)} ({Path.GetFileName(fragment)})");
        }
        var devices = ProfileHardware.Devices(needs);
        if (devices.Count > 0) notes.Add($"the unit will allow {string.Join(", ", devices)}");
    }

    /// <summary>Where the gateway-agent package installs firmware-config (deploy/package/build.sh).</summary>
    public const string PackagedFirmware = "/usr/share/gateway-agent/firmware-config";

    /// <summary>
    /// firmware-config/FOLDER[/FILE] beside the profile's folder (the repository layout), else under the current directory,
    /// else where the gateway-agent package installed it, so validation works outside the repository too.
    /// </summary>
    public static string Beside(string profilePath, string folder, string file)
    {
        string Candidate(string dir) => file.Length == 0 ? dir : Path.Combine(dir, file);
        bool Exists(string path) => file.Length == 0 ? Directory.Exists(path) : File.Exists(path);
        var candidates = new[]
        {
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(profilePath)!, "..", folder)),
            Path.GetFullPath(Path.Combine("firmware-config", folder)),
            Path.Combine(PackagedFirmware, folder),
        }.Select(Candidate).ToList();
        return candidates.FirstOrDefault(Exists) ?? candidates[1];
    }
}
