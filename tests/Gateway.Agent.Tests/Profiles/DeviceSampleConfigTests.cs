using System.Text;
using System.Text.RegularExpressions;
using Gateway.Agent.Profiles;
using Gateway.TestKit.Data;

namespace Gateway.Agent.Tests.Profiles;

/// <summary>
/// Every device folder ships a README with a sample config (STYLE.md, Telegraf habit): each ```json block of each
/// device README must be a source the agent accepts, and every shipped profile must validate.
/// </summary>
public sealed partial class DeviceSampleConfigTests
{
    public static TheoryData<string> DeviceFolders() => ["Bme280", "Ina219", "Sx1276", "Tags", "DigitalInputs", "Sysfs", "Pps"];

    [Theory]
    [MemberData(nameof(DeviceFolders))]
    public void ReadmeSampleConfig_IsAValidSource(string folder)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Folder("src/Gateway.Devices"), folder, "README.md"));
        Assert.Contains("## Wiring", readme, StringComparison.Ordinal);
        var samples = JsonBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(samples);
        foreach (var sample in samples)
        {
            var json = $$"""
                { "gatewayId": "sample", "site": { "name": "S", "latitude": 0, "longitude": 0 }, "broker": { "host": "h" }, "sources": [ {{sample}} ] }
                """;
            var profile = ProfileLoader.Parse(Encoding.UTF8.GetBytes(json), $"{folder}/README.md");
            Assert.Single(profile.Sources);
        }
    }

    public static TheoryData<string> Profiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryRoot.Folder("firmware-config/profiles"), "*.json")) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ShippedProfile_Validates(string name)
    {
        var profile = ProfileLoader.Load(Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), name));
        Assert.NotEmpty(profile.Sources);
    }

    [Fact]
    public void DemoProfile_HasEverySensorOfTheReferenceBuild()
    {
        var demo = ProfileLoader.Load(Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), "demo-checkpoint.json"));
        var types = demo.Sources.Select(s => s.Type).ToHashSet();
        Assert.Superset(new HashSet<string> { "gps", "bme280", "ina219", "lora", "gpio-input", "cpu-temperature", "ds18b20" }, types);
    }

    [GeneratedRegex("```json\\s*\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
