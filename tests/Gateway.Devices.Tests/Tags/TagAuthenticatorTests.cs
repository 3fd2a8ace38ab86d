using Gateway.Devices.Tags;
using Gateway.TestKit.Io;

namespace Gateway.Devices.Tests.Tags;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TagAuthenticatorTests : IDisposable
{
    private readonly TempDirectory _dir = new("tags");
    private readonly byte[] _key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");

    private string KeyPath => TagKeyStore.DefaultPath(_dir.Path);
    private string CounterPath => FrameCounterStore.DefaultPath(_dir.Path);

    public TagAuthenticatorTests()
    {
        var store = TagKeyStore.Load(KeyPath);
        store.Add(0x11, _key, DateTimeOffset.UnixEpoch);
        store.Save();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_GoodFrames_AcceptsInCounterOrderAndSaysFirstSeenOnce()
    {
        using var auth = Create();
        Assert.Equal(TagVerdict.Accepted, auth.Check(Frame(0x11, 5), out var frame, out var first, out _));
        Assert.True(first);
        Assert.Equal(5u, frame.Counter);
        Assert.Equal(TagVerdict.Accepted, auth.Check(Frame(0x11, 6), out _, out first, out _));
        Assert.False(first);
        Assert.Equal(2, auth.Statistics.Accepted);
    }

    [Fact]
    public void Check_ReplayedOrOlderCounter_IsDroppedAndCounted()
    {
        using var auth = Create();
        auth.Check(Frame(0x11, 10), out _, out _, out _);
        Assert.Equal(TagVerdict.Replayed, auth.Check(Frame(0x11, 10), out _, out _, out var reason));
        Assert.Contains("not above the last accepted 10", reason, StringComparison.Ordinal);
        Assert.Equal(TagVerdict.Replayed, auth.Check(Frame(0x11, 3), out _, out _, out _));
        Assert.Equal(2, auth.Statistics.Replayed);
        Assert.Equal(1, auth.Statistics.Accepted);
    }

    [Fact]
    public void Check_UnknownTagBadMicMalformed_AreEachCountedUnderTheirReason()
    {
        using var auth = Create();
        Assert.Equal(TagVerdict.UnknownTag, auth.Check(Frame(0x99, 1), out _, out _, out var reason));
        Assert.Contains("gatewayctl tags add 00000099", reason, StringComparison.Ordinal);
        Assert.Equal(TagVerdict.BadMic, auth.Check(Frame(0x11, 1, key: new byte[16]), out _, out _, out _));
        Assert.Equal(TagVerdict.Malformed, auth.Check([0x01, 0x02], out _, out _, out _));
        var s = auth.Statistics;
        Assert.Equal((1, 1, 1, 0, 0), (s.UnknownTag, s.BadMic, s.Malformed, s.Replayed, s.Accepted));
        Assert.Equal(3, s.Dropped);
        Assert.Equal(3, s.Received);
    }

    [Fact]
    public void AcceptedCounters_SurviveARestart()
    {
        using (var auth = Create()) auth.Check(Frame(0x11, 41), out _, out _, out _);
        using var restarted = Create();
        Assert.Equal(TagVerdict.Replayed, restarted.Check(Frame(0x11, 41), out _, out _, out _));
        Assert.Equal(TagVerdict.Accepted, restarted.Check(Frame(0x11, 42), out _, out var first, out _));
        Assert.False(first); // heard before the restart
    }

    [Fact]
    public void TagAddedWhileRunning_IsPickedUpFromTheKeyFile()
    {
        using var auth = Create();
        var key2 = new byte[16];
        key2[0] = 9;
        Assert.Equal(TagVerdict.UnknownTag, auth.Check(Frame(0x22, 1, key2), out _, out _, out _));
        var store = TagKeyStore.Load(KeyPath);
        store.Add(0x22, key2, DateTimeOffset.UnixEpoch);
        store.Save();
        File.SetLastWriteTimeUtc(KeyPath, DateTime.UtcNow.AddSeconds(5)); // a coarse file system clock must not hide the change
        Assert.Equal(TagVerdict.Accepted, auth.Check(Frame(0x22, 2, key2), out _, out _, out _));
    }

    [Fact]
    public void CounterFile_DamagedLine_StopsWithTheLineNumber()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CounterPath)!);
        File.WriteAllText(CounterPath, "# header\n00000011 12\nnot a line\n");
        var ex = Assert.Throws<InvalidDataException>(() => FrameCounterStore.Load(CounterPath));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CounterFile_IsOwnerOnly()
    {
        using var auth = Create();
        auth.Check(Frame(0x11, 1), out _, out _, out _);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CounterPath));
    }

    private TagAuthenticator Create() => new(KeyPath, FrameCounterStore.Load(CounterPath));

    private byte[] Frame(uint tag, uint counter, byte[]? key = null)
    {
        using var cmac = new AesCmac(key ?? _key);
        var bytes = new byte[24];
        var n = TagFrameCodec.Encode(new TagFrame(tag, counter, TagFlags.Moving, 3500, 0, 0, 0), cmac, bytes);
        return bytes[..n];
    }
}
