using System.Text;
using Gateway.Core.Files;

namespace Gateway.Core.Tests.Files;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("atomic-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Write_MakesItsCallsInTheDurableOrder()
    {
        // The order is the whole point: fsync the data before the rename publishes it, fsync the directory after the
        // rename so the rename itself survives a power cut.
        var path = Path.Combine(_directory, "cursor");
        var calls = new RecordingCalls();
        AtomicFile.WriteAllText(path, "new", AtomicFile.OwnerOnly, calls);
        var temp = AtomicFile.TempPath(path);
        Assert.Equal(
        [
            $"create {temp}",
            $"chmod {temp}",
            $"write {temp}",
            $"fsync {temp}",
            $"rename {temp} {path}",
            $"fsync-dir {_directory}",
        ], calls.Log);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void Write_FailingBeforeTheRename_KeepsTheOldFileAndRemovesTheTemp()
    {
        var path = Path.Combine(_directory, "counters");
        File.WriteAllText(path, "old");
        var calls = new RecordingCalls { FailAt = "fsync" };
        Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "new", AtomicFile.OwnerOnly, calls));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.False(File.Exists(AtomicFile.TempPath(path)));
        Assert.DoesNotContain(calls.Log, l => l.StartsWith("rename", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_StaleTempFromACrash_IsReplacedWithTheRequestedMode()
    {
        var path = Path.Combine(_directory, "tag.key");
        File.WriteAllText(AtomicFile.TempPath(path), "half a key from before the power cut");
        File.SetUnixFileMode(AtomicFile.TempPath(path), AtomicFile.Readable);
        AtomicFile.WriteAllBytes(path, "secret"u8, AtomicFile.OwnerOnly);
        Assert.Equal("secret", File.ReadAllText(path));
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Write_MissingDirectory_ThrowsAndCreatesNothing()
    {
        var path = Path.Combine(_directory, "a", "state.json");
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes("{}"), AtomicFile.Readable));
        Assert.False(Directory.Exists(Path.Combine(_directory, "a")));
    }

    [Fact]
    public void DirectorySync_MissingDirectory_SaysWhichAndWhatToCheck()
    {
        var missing = Path.Combine(_directory, "missing");
        var error = Assert.Throws<IOException>(() => DirectorySync.Sync(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("open failed with ENOENT (errno 2)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The real calls, each logged before it runs; <see cref="FailAt"/> makes that call throw instead.</summary>
    private sealed class RecordingCalls : FileSystemCalls
    {
        public List<string> Log { get; } = [];

        public string? FailAt { get; init; }

        public override FileStream Create(string path, UnixFileMode mode) => Do($"create {path}", () => base.Create(path, mode));

        public override void SetMode(FileStream file, UnixFileMode mode) => Do($"chmod {file.Name}", () => base.SetMode(file, mode));

        public override void Write(FileStream file, ReadOnlySpan<byte> content)
        {
            var copy = content.ToArray();
            Do($"write {file.Name}", () => base.Write(file, copy));
        }

        public override void FlushToDisk(FileStream file) => Do($"fsync {file.Name}", () => base.FlushToDisk(file));

        public override void Rename(string source, string destination) => Do($"rename {source} {destination}", () => base.Rename(source, destination));

        public override void SyncDirectory(string directory) => Do($"fsync-dir {directory}", () => base.SyncDirectory(directory));

        private void Do(string call, Action action) => Do(call, () =>
        {
            action();
            return 0;
        });

        private T Do<T>(string call, Func<T> action)
        {
            Log.Add(call);
            if (FailAt is not null && call.StartsWith(FailAt + " ", StringComparison.Ordinal)) throw new IOException($"{call} failed (injected)");
            return action();
        }
    }
}
