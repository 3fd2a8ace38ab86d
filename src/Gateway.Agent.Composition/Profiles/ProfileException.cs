using Gateway.Configuration;

namespace Gateway.Agent.Profiles;

/// <summary>
/// A profile that cannot be used. The message names the file, the key (as a JSON path such as
/// <c>sources[1].address</c>) and what is wrong, so that one line in the journal tells the engineer what to fix.
/// </summary>
public sealed class ProfileException : Exception, IConfigurationError<ProfileException>
{
    /// <summary>A problem with one key: "profile FILE: 'KEY' PROBLEM".</summary>
    public ProfileException(string file, string key, string problem)
        : base($"profile {file}: '{key}' {problem}")
    {
        File = file;
        Key = key;
    }

    /// <summary>A problem with the whole file (unreadable, not JSON); <see cref="File"/> and <see cref="Key"/> are empty.</summary>
    public ProfileException(string message, Exception inner) : base(message, inner)
    {
        File = "";
        Key = "";
    }

    /// <inheritdoc/>
    public static ProfileException Create(string file, string key, string problem) => new(file, key, problem);

    /// <inheritdoc/>
    public static ProfileException Whole(string message, Exception? inner) => new(message, inner ?? new FormatException(message));

    /// <inheritdoc/>
    public static string Noun => "profile";

    /// <summary>The profile's file name, as messages show it.</summary>
    public string File { get; }

    /// <summary>The key's JSON path, such as <c>sources[1].address</c>; empty for a whole-file problem.</summary>
    public string Key { get; }
}
