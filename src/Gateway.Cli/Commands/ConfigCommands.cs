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
            if (json is not null && problems.Count == 0)
                CheckFirmware(json, parse.GetValue(firmware)?.FullName ?? Beside(file.FullName, "raspberrypi", ""), parse.GetValue(boot)?.FullName, problems, notes);

            if (problems.Count > 0)
            {
                foreach (var m in problems) error.WriteLine($"profile {file.Name}: {m}");
                error.WriteLine($"{problems.Count} problem(s) in {file.Name}");
                return 1;
            }
            output.WriteLine($"{file.Name}: valid: gateway {p!.GatewayId} at {p.Site.Name}, broker {p.Broker.Host}:{p.Broker.Port}, " +
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

    private static void CheckFirmware(string json, string firmwareDir, string? bootConfig, List<string> problems, List<string> notes)
    {
        var needs = ProfileHardware.Read(json);
        var bootLines = bootConfig is null ? null
            : File.Exists(bootConfig) ? File.ReadAllLines(bootConfig).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal)
            : null;
        if (bootConfig is not null && bootLines is null) problems.Add($"--boot-config {bootConfig} does not exist");
        foreach (var n in needs.Where(n => n.Interface is not null))
        {
            var fragment = Path.Combine(firmwareDir, n.Interface!.Value.FileName());
            var what = $"source '{n.Source}' ({n.Type}{(n.Devices.Count > 0 ? $" on {n.Devices[0]}" : "")}) needs {n.Interface!.Value.Display()}";
            if (!File.Exists(fragment))
            {
                problems.Add($"{what}, but {fragment} does not exist (pass the repository's firmware-config/raspberrypi with --firmware)");
                continue;
            }
            var required = File.ReadAllLines(fragment).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
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

    private static string Beside(string profilePath, string folder, string file)
    {
        var dir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(profilePath)!, "..", folder));
        var candidate = file.Length == 0 ? dir : Path.Combine(dir, file);
        if (file.Length == 0 ? Directory.Exists(candidate) : File.Exists(candidate)) return candidate;
        var cwd = Path.GetFullPath(Path.Combine("firmware-config", folder));
        return file.Length == 0 ? cwd : Path.Combine(cwd, file);
    }
}
