using System.CommandLine;
using Gateway.Agent.Composition;
using Gateway.Agent.Profiles;

namespace Gateway.Cli.Commands.Diag;

/// <summary>
/// <c>gatewayctl diag PROFILE [--simulate] [--gps-seconds N]</c>: probes every device the profile names and prints a
/// table (found or missing, chip id, GPS sentences seen, radio version and noise floor, I2C addresses that answer).
/// Exits 1 when a device the profile needs is missing, 2 on a bad profile. <c>--simulate</c> runs against the
/// register-level simulation (in a temporary state directory), which is how tests and laptops check it.
/// </summary>
public static class DiagCommand
{
    public const int ExitMissing = 1, ExitProfile = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var profileArg = new Argument<FileInfo>("PROFILE") { Description = "gateway profile (JSON), e.g. firmware-config/profiles/reference-pi.json" };
        var simulate = new Option<bool>("--simulate") { Description = "probe the simulated hardware instead of the kernel's devices" };
        var gpsSeconds = new Option<int>("--gps-seconds") { Description = "how long to listen to the GPS", DefaultValueFactory = _ => 5 };
        var command = new Command("diag", "Probe the hardware a profile names and print what answers") { profileArg, simulate, gpsSeconds };
        command.SetAction(async (parse, cancellationToken) =>
        {
            GatewayProfile profile;
            try
            {
                profile = ProfileLoader.Load(parse.GetValue(profileArg)!.FullName);
            }
            catch (ProfileException ex)
            {
                error.WriteLine(ex.Message);
                return ExitProfile;
            }
            var seconds = Math.Clamp(parse.GetValue(gpsSeconds), 1, 60);
            var simulated = parse.GetValue(simulate) || profile.Hardware == HardwareMode.Simulated;
            var temp = simulated ? Directory.CreateTempSubdirectory("gatewayctl-diag-").FullName : null;
            try
            {
                using HardwareAccess hardware = simulated
                    ? new SimulatedHardware(profile, temp!, TimeProvider.System)
                    : new LinuxHardware();
                var results = await new DeviceProbe(hardware, TimeSpan.FromSeconds(seconds)).RunAsync(profile, cancellationToken).ConfigureAwait(false);
                Print(output, profile, simulated, results);
                var missing = results.Where(r => r.Status == ProbeStatus.Missing).ToList();
                if (missing.Count == 0) return 0;
                error.WriteLine($"{missing.Count} required device(s) missing: {string.Join(", ", missing.Select(m => m.Source))}; see the details column");
                return ExitMissing;
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
        });
        return command;
    }

    private static void Print(TextWriter output, GatewayProfile profile, bool simulated, IReadOnlyList<ProbeResult> results)
    {
        output.WriteLine($"gateway {profile.GatewayId} ({profile.FileName}), hardware {(simulated ? "simulated" : "linux")}");
        var rows = results.Select(r => new[] { r.Source, r.Type, r.Device, r.Status.ToString().ToLowerInvariant(), r.ChipId, r.Details }).ToList();
        string[] header = ["SOURCE", "TYPE", "DEVICE", "STATUS", "CHIP ID", "DETAILS"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(header, widths));
        foreach (var row in rows) output.WriteLine(Line(row, widths));
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
