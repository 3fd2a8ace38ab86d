namespace Gateway.Configuration.Tests;

/// <summary>A caller's own error type, as ProfileException and ConfigException are.</summary>
internal sealed class TestError : Exception, IConfigurationError<TestError>
{
    private TestError(string message, string key, Exception? inner = null) : base(message, inner) => Key = key;

    public string Key { get; }

    public static string Noun => "test";

    public static TestError Create(string file, string key, string problem) => new($"test {file}: '{key}' {problem}", key);

    public static TestError Whole(string message, Exception? inner) => new(message, "", inner);
}
