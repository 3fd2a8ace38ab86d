using Gateway.Configuration;

namespace Gateway.Ingest.Configuration;

/// <summary>
/// A central configuration that cannot be used. The message names the file, the key as a JSON path
/// (<c>alerts.geofence.holdSeconds</c>) and what to do, so one log line tells the operator what to fix (STYLE.md habit 10).
/// </summary>
public sealed class ConfigException : Exception, IConfigurationError<ConfigException>
{
    public ConfigException(string file, string key, string problem)
        : base($"config {file}: '{key}' {problem}")
    {
        Key = key;
    }

    public ConfigException(string message, Exception? inner = null) : base(message, inner)
    {
        Key = "";
    }

    public static ConfigException Create(string file, string key, string problem) => new(file, key, problem);

    public static ConfigException Whole(string message, Exception? inner) => new(message, inner);

    public static string Noun => "config";

    /// <summary>The JSON path of the bad setting, or empty when the file as a whole is unusable.</summary>
    public string Key { get; }
}
