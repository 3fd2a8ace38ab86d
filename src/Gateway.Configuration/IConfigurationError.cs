namespace Gateway.Configuration;

/// <summary>
/// How a configuration reader's caller turns "this key has this problem" into its own exception: the agent says
/// "profile FILE: 'key' problem" (ProfileException), the central services "config FILE: 'key' problem"
/// (ConfigException), and each catches only its own.
/// </summary>
public interface IConfigurationError<TSelf> where TSelf : Exception, IConfigurationError<TSelf>
{
    /// <param name="file">The configuration file's name as the user wrote it.</param>
    /// <param name="key">The JSON path of the setting, e.g. <c>sources[1].address</c>; "(root)" for the whole document.</param>
    /// <param name="problem">What is wrong, starting with a verb: "must be between 1 and 10; got 12".</param>
    static abstract TSelf Create(string file, string key, string problem);

    /// <summary>The file as a whole is unusable (missing, unreadable, not JSON): <paramref name="message"/> says which and what to do.</summary>
    static abstract TSelf Whole(string message, Exception? inner);

    /// <summary>What the file is called in messages: "profile", "config".</summary>
    static abstract string Noun { get; }
}
