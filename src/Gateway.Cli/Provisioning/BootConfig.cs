using System.Text;

namespace Gateway.Cli.Provisioning;

/// <summary>
/// Edits a Raspberry Pi <c>config.txt</c> and <c>cmdline.txt</c> as text, so that provisioning is idempotent: our lines
/// live in one block between markers, which is replaced as a whole; lines outside it are the owner's and kept. The
/// block starts with <c>[all]</c> because config.txt conditional sections (e.g. <c>[pi4]</c>) above it would otherwise
/// apply to our lines too (Raspberry Pi documentation, "Conditional filters").
/// </summary>
public static class BootConfig
{
    public const string Begin = "# BEGIN gateway-agent (managed by gatewayctl provision; this block is replaced on every run)";
    public const string End = "# END gateway-agent";

    /// <summary>Returns <paramref name="current"/> with the managed block set to <paramref name="fragments"/> (or removed when none).</summary>
    public static string WithManagedBlock(string current, IReadOnlyList<(string Name, string Text)> fragments)
    {
        var kept = new List<string>();
        var inside = false;
        foreach (var line in current.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("# BEGIN gateway-agent", StringComparison.Ordinal)) { inside = true; continue; }
            if (inside && line == End) { inside = false; continue; }
            if (!inside) kept.Add(line);
        }
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        var text = new StringBuilder();
        foreach (var line in kept) text.Append(line).Append('\n');
        if (fragments.Count == 0) return text.ToString();
        if (text.Length > 0) text.Append('\n');
        text.Append(Begin).Append('\n').Append("[all]\n");
        foreach (var (name, fragment) in fragments)
        {
            text.Append("# from firmware-config/raspberrypi/").Append(name).Append('\n');
            foreach (var line in fragment.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
                if (line.Length > 0 && !line.StartsWith('#')) text.Append(line).Append('\n');
        }
        text.Append(End).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Removes the kernel's serial console from cmdline.txt (one line of space-separated parameters): with the UART
    /// given to a GPS receiver, <c>console=serial0,115200</c> would put a login prompt on the GPS line.
    /// </summary>
    public static string WithoutSerialConsole(string cmdline)
    {
        var parameters = cmdline.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !(p.StartsWith("console=serial", StringComparison.Ordinal) || p.StartsWith("console=ttyAMA", StringComparison.Ordinal)
                || p.StartsWith("console=ttyS", StringComparison.Ordinal)));
        return string.Join(' ', parameters) + "\n";
    }
}
