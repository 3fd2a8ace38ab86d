using Gateway.Devices.Sx1276;
using Gateway.TestKit.Data;

namespace Gateway.Devices.Tests.Sx1276;

public sealed class LoraRegionPlanTests
{
    public static TheoryData<string> Plans()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryRoot.Folder("firmware-config/lora"), "*.json")) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void ShippedPlan_IsValidAndBuiltIn(string region)
    {
        var fromFile = LoraRegionPlan.LoadFile(Path.Combine(RepositoryRoot.Folder("firmware-config/lora"), region + ".json"));
        Assert.Equal(region, fromFile.Region);
        Assert.Equal(fromFile, LoraRegionPlan.LoadBuiltIn(region));
        Assert.NotEqual(0x34, fromFile.SyncWord);
        Assert.InRange(fromFile.FrequencyHz, fromFile.MinFrequencyHz, fromFile.MaxFrequencyHz);
    }

    [Fact]
    public void BuiltIn_ListsTheShippedPlans() => Assert.Contains("eu868", LoraRegionPlan.BuiltIn);

    [Fact]
    public void Eu433_UsesTheLowFrequencyPort_Eu868TheHighOne()
    {
        Assert.True(LoraRegionPlan.LoadBuiltIn("eu433").LowFrequencyPort);
        Assert.False(LoraRegionPlan.LoadBuiltIn("eu868").LowFrequencyPort);
    }

    [Theory]
    [InlineData(9, 125000, false)]
    [InlineData(11, 125000, true)]  // 16.384 ms symbols: §4.1.1.6 mandates LowDataRateOptimize
    [InlineData(12, 500000, false)] // 8.192 ms
    [InlineData(12, 250000, true)]  // 16.384 ms
    [InlineData(12, 125000, true)]
    public void LowDataRateOptimize_WhenSymbolsExceed16Ms(int sf, int bw, bool expected)
    {
        var plan = LoraRegionPlan.LoadBuiltIn("eu868") with { SpreadingFactor = sf, Bandwidth = LoraRegionPlan.Bandwidths[bw] };
        Assert.Equal(expected, plan.LowDataRateOptimize);
    }

    public static TheoryData<string, string> BadPlans => new()
    {
        { "\"frequencyHz\": 869525000", "\"frequencyHz\": 868000000" },
        { "\"spreadingFactor\": 9", "\"spreadingFactor\": 6" },
        { "\"bandwidthHz\": 125000", "\"bandwidthHz\": 100000" },
        { "\"codingRate\": \"4/5\"", "\"codingRate\": \"5/4\"" },
        { "\"syncWord\": \"0x12\"", "\"syncWord\": \"0x34\"" },
        { "\"syncWord\": \"0x12\"", "\"syncWord\": \"18\"" },
        { "\"preambleLength\": 8", "\"preambleLength\": 2" },
        { "\"minFrequencyHz\": 869400000", "\"minFrequencyHz\": 100000000" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void Parse_BadValue_NamesTheKey(string find, string replace)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Folder("firmware-config/lora"), "eu868.json"));
        Assert.Contains(find, json, StringComparison.Ordinal);
        var key = find.Split('"')[1];
        var ex = Assert.Throws<InvalidDataException>(() => LoraRegionPlan.Parse(json.Replace(find, replace, StringComparison.Ordinal), "test"));
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadBuiltIn_Unknown_ListsTheKnownPlans()
    {
        var ex = Assert.Throws<InvalidDataException>(() => LoraRegionPlan.LoadBuiltIn("mars"));
        Assert.Contains("eu868", ex.Message, StringComparison.Ordinal);
    }
}
