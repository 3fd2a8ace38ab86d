using Gateway.Devices.Tags;
using Gateway.TestKit.Io;

namespace Gateway.Devices.Tests.Tags;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TagKeyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("keys");

    public void Dispose() => _dir.Dispose();

    private string Path => TagKeyStore.DefaultPath(_dir.Path);

    [Fact]
    public void Add_GeneratesDistinctRandomKeys_SavedWithMode0600()
    {
        var store = TagKeyStore.Load(Path);
        var a = store.Add(1, DateTimeOffset.UnixEpoch);
        var b = store.Add(2, DateTimeOffset.UnixEpoch);
        store.Save();
        Assert.Equal(16, a.Key.Length);
        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path));
        var loaded = TagKeyStore.Load(Path);
        Assert.True(loaded.TryGet(2, out var again));
        Assert.Equal(b.Key, again.Key);
        Assert.Equal(2, loaded.Count);
    }

    [Fact]
    public void Load_FileReadableByOthers_IsRefusedWithTheFix()
    {
        var store = TagKeyStore.Load(Path);
        store.Add(1, DateTimeOffset.UnixEpoch);
        store.Save();
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var ex = Assert.Throws<IOException>(() => TagKeyStore.Load(Path));
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0604", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00000001 0011")]
    [InlineData("zz 000102030405060708090a0b0c0d0e0f")]
    [InlineData("000000001 000102030405060708090a0b0c0d0e0f")]
    [InlineData("00000001")]
    public void Load_MalformedLine_NamesTheLine(string line)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.WriteAllText(Path, $"# keys\n{line}\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var ex = Assert.Throws<InvalidDataException>(() => TagKeyStore.Load(Path));
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_ExistingTag_IsRefused()
    {
        var store = TagKeyStore.Load(Path);
        store.Add(7, DateTimeOffset.UnixEpoch);
        Assert.Throws<InvalidOperationException>(() => store.Add(7, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Entry_ToString_NeverShowsTheKey()
    {
        var entry = TagKeyStore.Load(Path).Add(0xAB, DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain(Convert.ToHexStringLower(entry.Key), entry.ToString(), StringComparison.Ordinal);
        Assert.Contains("000000ab", entry.ToString(), StringComparison.Ordinal);
        Assert.Equal(8, entry.Fingerprint.Length);
    }

    [Theory]
    [InlineData("a1b2c3d4", 0xA1B2C3D4u, true)]
    [InlineData("0xA1", 0xA1u, true)]
    [InlineData("", 0u, false)]
    [InlineData("123456789", 0u, false)]
    [InlineData("xyz", 0u, false)]
    public void TryParseTagId_AcceptsOneToEightHexDigits(string text, uint expected, bool ok)
    {
        Assert.Equal(ok, TagKeyStore.TryParseTagId(text, out var id));
        if (ok) Assert.Equal(expected, id);
    }
}
