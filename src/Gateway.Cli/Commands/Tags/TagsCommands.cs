using System.CommandLine;
using System.Globalization;
using Gateway.Devices.Tags;

namespace Gateway.Cli.Commands.Tags;

/// <summary>
/// <c>gatewayctl tags add|list|remove|decode|encode</c>: provisioning asset tag keys in the agent's key file (mode 0600,
/// keys from a CSPRNG, shown once for programming the tag), and checking or building single frames in the field.
/// </summary>
public static class TagsCommands
{
    /// <summary>Exit codes: 0 done, 1 the frame or the key file is not usable, 2 bad usage.</summary>
    public const int ExitInvalid = 1, ExitUsage = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var tags = new Command("tags", "Asset tags: keys in the agent's state directory, and single frames")
        {
            Add(output, error),
            List(output, error),
            Remove(output, error),
            TagFrameCommands.Decode(output, error),
            TagFrameCommands.Encode(output, error),
        };
        return tags;
    }

    internal static Option<string> StateDirOption() => new("--state-dir")
    {
        Description = "the agent's state directory (default: $STATE_DIRECTORY, else ./state, as the agent)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } s ? s.Split(':')[0] : Path.Combine(Environment.CurrentDirectory, "state"),
    };

    private static Command Add(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("TAGID") { Description = "the tag id, 8 hex digits (printed on the tag)" };
        var key = new Option<string?>("--key") { Description = "use this key (32 hex digits) for a tag that comes with one; by default a random key is generated" };
        var state = StateDirOption();
        var command = new Command("add", "Provision a tag: generate its AES-128 key and store it for the agent") { id, key, state };
        command.SetAction(parse =>
        {
            if (!TagKeyStore.TryParseTagId(parse.GetValue(id)!, out var tagId)) return Usage(error, $"'{parse.GetValue(id)}' is not a tag id (1-8 hex digits)");
            byte[]? given = null;
            if (parse.GetValue(key) is { } k && !TagKeyStore.TryParseKey(k, out given)) return Usage(error, "--key must be 32 hex digits (16 bytes)");
            return WithStore(parse.GetValue(state)!, error, store =>
            {
                var entry = given is null ? store.Add(tagId, DateTimeOffset.UtcNow) : store.Add(tagId, given, DateTimeOffset.UtcNow);
                store.Save();
                output.WriteLine($"tag {entry.TagHex} added to {store.Path} (mode 0600)");
                // The key must reach the tag's firmware; it is printed here once and never logged.
                output.WriteLine($"key {Convert.ToHexStringLower(entry.Key)}");
                output.WriteLine("program this key into the tag now; 'gatewayctl tags list' shows only its fingerprint");
                return 0;
            });
        });
        return command;
    }

    private static Command List(TextWriter output, TextWriter error)
    {
        var state = StateDirOption();
        var command = new Command("list", "List provisioned tags (ids, fingerprints, last accepted counter; never keys)") { state };
        command.SetAction(parse => WithStore(parse.GetValue(state)!, error, store =>
        {
            var counters = FrameCounterStore.Load(FrameCounterStore.DefaultPath(parse.GetValue(state)!));
            output.WriteLine($"{"TAG",-10} {"ADDED",-20} {"KEY FINGERPRINT",-16} LAST COUNTER");
            foreach (var e in store.Entries)
            {
                var last = counters.TryGet(e.TagId, out var c) ? c.ToString(CultureInfo.InvariantCulture) : "never heard";
                output.WriteLine($"{e.TagHex,-10} {e.Added.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),-20} {e.Fingerprint,-16} {last}");
            }
            output.WriteLine($"{store.Count} tag(s) in {store.Path}");
            return 0;
        }));
        return command;
    }

    private static Command Remove(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("TAGID") { Description = "the tag id, 8 hex digits" };
        var state = StateDirOption();
        var command = new Command("remove", "Remove a tag's key (its frames are then dropped as unknown) and forget its counter") { id, state };
        command.SetAction(parse =>
        {
            if (!TagKeyStore.TryParseTagId(parse.GetValue(id)!, out var tagId)) return Usage(error, $"'{parse.GetValue(id)}' is not a tag id (1-8 hex digits)");
            return WithStore(parse.GetValue(state)!, error, store =>
            {
                if (!store.Remove(tagId))
                {
                    error.WriteLine($"tag {tagId:x8} is not in {store.Path}");
                    return ExitInvalid;
                }
                store.Save();
                FrameCounterStore.Load(FrameCounterStore.DefaultPath(parse.GetValue(state)!)).Forget(tagId);
                output.WriteLine($"tag {tagId:x8} removed from {store.Path}; restart the agent or let it reload the key file");
                return 0;
            });
        });
        return command;
    }

    private static int WithStore(string stateDirectory, TextWriter error, Func<TagKeyStore, int> action)
    {
        try
        {
            return action(TagKeyStore.Load(TagKeyStore.DefaultPath(stateDirectory)));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine($"gatewayctl tags: {ex.Message}");
            return ExitInvalid;
        }
    }

    internal static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"gatewayctl tags: {message}");
        return ExitUsage;
    }
}
