namespace Gateway.Configuration.Tests;

/// <summary>The one reader under the profile and the central configuration: each whole-file failure is one line naming the file.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("config-file");

    [Fact]
    public void Read_MissingFile_NamesItAndWhereAGoodOneComesFrom()
    {
        var path = Path.Combine(_dir.FullName, "absent.json");
        var ex = Assert.Throws<TestError>(() => ConfigurationFile.Read<TestError>(path, 1024, "pass --test FILE"));
        Assert.Equal($"test {path} does not exist; pass --test FILE", ex.Message);
    }

    [Fact]
    public void Read_TooLarge_IsRefusedBeforeReading()
    {
        var path = Path.Combine(_dir.FullName, "big.json");
        File.WriteAllBytes(path, new byte[2048]);
        var ex = Assert.Throws<TestError>(() => ConfigurationFile.Read<TestError>(path, 1024, "hint"));
        Assert.Equal("test big.json: '(file)' is 2048 bytes; a test is at most 1024", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, "test f.json: not valid UTF-8 text; save it as UTF-8")]
    [InlineData(new byte[] { (byte)'{', (byte)'\n', (byte)'"', (byte)'a', (byte)'"' }, "test f.json: not valid JSON at line 2")]
    public void Parse_NotUtf8OrNotJson_SaysWhereAndWhat(byte[] json, string expected)
    {
        var ex = Assert.Throws<TestError>(() => ConfigurationFile.Parse<TestError>(json, "f.json"));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAllowed_DuplicateKeysAreNot()
    {
        using (var doc = ConfigurationFile.Parse<TestError>("{ // hand-edited\n \"a\": 1, }"u8, "f.json"))
            Assert.Equal(1, doc.RootElement.GetProperty("a").GetInt32());
        Assert.Throws<TestError>(() => ConfigurationFile.Parse<TestError>("{ \"a\": 1, \"a\": 2 }"u8, "f.json"));
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
