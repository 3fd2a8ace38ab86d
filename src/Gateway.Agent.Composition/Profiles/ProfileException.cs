using Gateway.Configuration;

namespace Gateway.Agent.Profiles;

/// <summary>
/// A profile that cannot be used. The message names the file, the key (as a JSON path such as
/// <c>sources[1].address</c>) and what is wrong, so that one line in the journal tells the engineer what to fix.
/// </summary>
public sealed class ProfileException : Exception, IConfigurationError<ProfileException>
{
    public ProfileException(string file, string key, string problem)
        : base($"profile {file}: '{key}' {problem}")
    {
        File = file;
        Key = key;
    }

    public ProfileException(string message, Exception inner) : base(message, inner)
    {
        File = "";
        Key = "";
    }

    public static ProfileException Create(string file, string key, string problem) => new(file, key, problem);

    public static ProfileException Whole(string message, Exception? inner) => new(message, inner ?? new FormatException(message));

    public static string Noun => "profile";

    public string File { get; }
    public string Key { get; }
}
