using Microsoft.Extensions.Logging;

namespace Gateway.Devices.Gpsd;

public sealed partial class GpsdSource
{
    [LoggerMessage(EventId = 5250, Level = LogLevel.Warning, Message = "GPS {Name}: cannot connect to gpsd at {Endpoint}: {Reason}; retrying (every {MaxSeconds} s at most) without further messages. Is gpsd running and listening there? `gpspipe -w {Endpoint}` checks")]
    private static partial void LogCannotConnect(ILogger logger, string name, string endpoint, string reason, double maxSeconds);

    [LoggerMessage(EventId = 5251, Level = LogLevel.Warning, Message = "GPS {Name}: gpsd at {Endpoint} {Reason}; reconnecting (every {MaxSeconds} s at most) without further messages until it answers")]
    private static partial void LogDisconnected(ILogger logger, string name, string endpoint, string reason, double maxSeconds);

    [LoggerMessage(EventId = 5252, Level = LogLevel.Information, Message = "GPS {Name}: connected to gpsd at {Endpoint} again (after {Failures} failed attempts)")]
    private static partial void LogConnectedAgain(ILogger logger, string name, string endpoint, int failures);

    [LoggerMessage(EventId = 5253, Level = LogLevel.Warning, Message = "GPS {Name}: gpsd at {Endpoint} sent a line that is not a gpsd JSON report (\"{Start}\"); skipped and counted in malformed; further ones are only counted")]
    private static partial void LogMalformed(ILogger logger, string name, string endpoint, string start);

    [LoggerMessage(EventId = 5254, Level = LogLevel.Warning, Message = "GPS {Name}: gpsd at {Endpoint} sent a line longer than {Limit} bytes; skipped to its end and counted in oversized; further ones are only counted")]
    private static partial void LogOversized(ILogger logger, string name, string endpoint, int limit);
}
