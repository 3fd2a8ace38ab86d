using System.Xml.Linq;
using Gateway.TestKit.Data;

namespace Gateway.Core.Tests.Layering;

/// <summary>
/// The direction of the layers (docs/architecture.md, "Layers"), checked over the project files themselves: every
/// reference between src/ projects points to a lower layer, no project references an executable, and every project
/// has a place in the table (a new project is placed deliberately, not wherever it happens to compile).
/// </summary>
public sealed class ProjectLayerTests
{
    /// <summary>Lowest first. A project may reference only projects of a lower layer.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Gateway.Core"] = 0, // basics every project may use: atomic files, directory fsync, backoff, libc
        ["Gateway.Configuration"] = 1,
        ["Gateway.Hardware"] = 1, // Linux device access: abstract buses and their kernel implementations
        ["Gateway.Telemetry"] = 1, // readings, clock discipline, pipeline, line protocol
        ["Gateway.DiskQueue"] = 1, // the journal
        ["Gateway.Mqtt"] = 1, // the MQTT client
        ["Gateway.Hardware.Simulation"] = 2, // device models behind the abstract buses
        ["Gateway.Devices"] = 2, // one folder per device, on the abstract buses, producing readings
        ["Gateway.Agent.Composition"] = 3, // profiles and what they compose; shared by the agent and gatewayctl
        ["Gateway.Agent"] = 4, // executables: nothing references them
        ["Gateway.Ingest"] = 4,
        ["Gateway.Cli"] = 4,
    };

    public static TheoryData<string> Projects() => [.. SourceProjects().Select(p => Path.GetFileNameWithoutExtension(p))];

    [Fact]
    public void EveryProject_HasALayer()
    {
        var unplaced = SourceProjects().Select(p => Path.GetFileNameWithoutExtension(p)).Where(n => !Layers.ContainsKey(n)).ToList();
        Assert.True(unplaced.Count == 0, $"Place {string.Join(", ", unplaced)} in ProjectLayerTests.Layers and docs/architecture.md.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void References_PointDown_AndNeverToAnExecutable(string project)
    {
        var path = SourceProjects().Single(p => Path.GetFileNameWithoutExtension(p) == project);
        foreach (var reference in References(path))
        {
            Assert.False(IsExecutable(reference), $"{project} references the executable {Name(reference)}; move what it needs into a library both use.");
            Assert.True(Layers[Name(reference)] < Layers[project],
                $"{project} (layer {Layers[project]}) references {Name(reference)} (layer {Layers[Name(reference)]}): layers point down only.");
        }
    }

    private static string Name(string projectPath) => Path.GetFileNameWithoutExtension(projectPath);

    private static IEnumerable<string> References(string projectPath) =>
        XDocument.Load(projectPath).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectPath)!, r.Attribute("Include")!.Value.Replace('\\', '/'))));

    private static bool IsExecutable(string projectPath) =>
        XDocument.Load(projectPath).Descendants("OutputType").Any(o => o.Value.Trim().Equals("Exe", StringComparison.OrdinalIgnoreCase));

    internal static IReadOnlyList<string> SourceProjects() =>
        [.. Directory.EnumerateDirectories(RepositoryRoot.Folder("src")).SelectMany(d => Directory.EnumerateFiles(d, "*.csproj")).Order(StringComparer.Ordinal)];
}
