using Microsoft.Extensions.Logging;

namespace Gateway.TestKit.Logging;

/// <summary>A logger that keeps every line (level, formatted message, exception), for tests that count what was logged.</summary>
public class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message, Exception? Exception)> _entries = [];

    /// <summary>Level and message of every line.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_entries) return _entries.Select(e => (e.Level, e.Message)).ToList(); }
    }

    /// <summary>Every line with the exception logged with it, if any.</summary>
    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_entries) _entries.Add((logLevel, formatter(state, exception), exception));
    }
}

/// <summary>The same, for constructors that take an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class RecordingLogger<T> : RecordingLogger, ILogger<T>;
