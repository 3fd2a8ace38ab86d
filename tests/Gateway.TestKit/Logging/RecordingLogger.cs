using Microsoft.Extensions.Logging;

namespace Gateway.TestKit.Logging;

/// <summary>Keeps every log entry (level and formatted message), so a test can say what was logged, or that nothing was.</summary>
public sealed class RecordingLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (Entries) Entries.Add((logLevel, formatter(state, exception)));
    }
}
