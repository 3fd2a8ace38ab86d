using System.Text.Json;
using Gateway.TestKit.Io;

namespace Gateway.Cli.Tests.Tags;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TagsCommandTests : IDisposable
{
    private const string Key = "39c0aed1e9d761a80e90ad53d3f2491a";
    private const string Golden = "01a1b2c3d400000007090e10050df200f81d432047ce306b";
    private readonly TempDirectory _state = new("ctl-tags");

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Decode_GoodFrame_PrintsOneJsonObject()
    {
        var (code, output, error) = Run("tags", "decode", "--key", Key, Golden);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("a1b2c3d4", root.GetProperty("tag").GetString());
        Assert.Equal(7, root.GetProperty("counter").GetInt64());
        Assert.True(root.GetProperty("flags").GetProperty("moving").GetBoolean());
        Assert.False(root.GetProperty("flags").GetProperty("alarm").GetBoolean());
        Assert.Equal(3600, root.GetProperty("battery_mv").GetInt32());
        Assert.Equal(8.48, root.GetProperty("lat").GetDouble(), 7);
        Assert.Equal(-13.23, root.GetProperty("lon").GetDouble(), 7);
    }

    [Theory]
    [InlineData("00000000000000000000000000000000", Golden, "bad MIC")]
    [InlineData(Key, "01a1b2c3d400000007090e10050df200f81d432047ce30", "packet is 23 bytes")]
    [InlineData(Key, "02a1b2c3d400000007090e10050df200f81d432047ce306b", "unknown frame version 0x02")]
    public void Decode_InvalidFrame_PrintsTheReasonAndExits1(string key, string frame, string reason)
    {
        var (code, output, error) = Run("tags", "decode", "--key", key, frame);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("123")]
    public void Decode_NotHex_IsAUsageError(string frame) => Assert.Equal(2, Run("tags", "decode", "--key", Key, frame).Code);

    [Fact]
    public void Decode_NoKey_IsAUsageError() => Assert.Equal(2, Run("tags", "decode", Golden).Code);

    [Fact]
    public void Encode_ThenDecode_RoundTrips()
    {
        var (code, frame, _) = Run("tags", "encode", "--key", Key, "--tag", "a1b2c3d4", "--counter", "7", "--moving", "--lat", "8.48", "--lon", "-13.23");
        Assert.Equal(0, code);
        Assert.Equal(Golden, frame.Trim());
        var (_, shortFrame, _) = Run("tags", "encode", "--key", Key, "--tag", "1", "--counter", "2", "--alarm", "--low-battery", "--battery-mv", "3100");
        Assert.Equal(32, shortFrame.Trim().Length);
        var (decoded, json, _) = Run("tags", "decode", "--key", Key, shortFrame.Trim());
        Assert.Equal(0, decoded);
        Assert.Contains("\"lat\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"low_battery\":true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_LatWithoutLon_IsAUsageError() =>
        Assert.Equal(2, Run("tags", "encode", "--key", Key, "--tag", "1", "--counter", "1", "--lat", "8").Code);

    [Fact]
    public void AddListDecodeWithKeyFileRemove_Workflow()
    {
        var (added, addOutput, _) = Run("tags", "add", "a1b2c3d4", "--state-dir", _state.Path);
        Assert.Equal(0, added);
        var key = addOutput.Split('\n').Single(l => l.StartsWith("key ", StringComparison.Ordinal))[4..].Trim();
        Assert.Equal(32, key.Length);
        var keyFile = Path.Combine(_state.Path, "tags", "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        var (_, list, _) = Run("tags", "list", "--state-dir", _state.Path);
        Assert.Contains("a1b2c3d4", list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.Contains("never heard", list, StringComparison.Ordinal);

        Assert.Equal(1, Run("tags", "add", "a1b2c3d4", "--state-dir", _state.Path).Code); // already provisioned

        var (_, frame, _) = Run("tags", "encode", "--key", key, "--tag", "a1b2c3d4", "--counter", "1");
        Assert.Equal(0, Run("tags", "decode", "--key-file", keyFile, frame.Trim()).Code);

        Assert.Equal(0, Run("tags", "remove", "a1b2c3d4", "--state-dir", _state.Path).Code);
        Assert.Equal(1, Run("tags", "remove", "a1b2c3d4", "--state-dir", _state.Path).Code);
        var (unknown, _, error) = Run("tags", "decode", "--key-file", keyFile, frame.Trim());
        Assert.Equal(1, unknown);
        Assert.Contains("not in", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_GivenKey_IsStoredAndBadTagIdRefused()
    {
        Assert.Equal(0, Run("tags", "add", "00000001", "--key", Key, "--state-dir", _state.Path).Code);
        Assert.Contains(Key, File.ReadAllText(Path.Combine(_state.Path, "tags", "keys")), StringComparison.Ordinal);
        Assert.Equal(2, Run("tags", "add", "not-hex", "--state-dir", _state.Path).Code);
        Assert.Equal(2, Run("tags", "add", "2", "--key", "abc", "--state-dir", _state.Path).Code);
    }

    [Fact]
    public void List_KeyFileReadableByOthers_IsRefused()
    {
        Run("tags", "add", "1", "--state-dir", _state.Path);
        File.SetUnixFileMode(Path.Combine(_state.Path, "tags", "keys"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var (code, _, error) = Run("tags", "list", "--state-dir", _state.Path);
        Assert.Equal(1, code);
        Assert.Contains("chmod 600", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);
}
