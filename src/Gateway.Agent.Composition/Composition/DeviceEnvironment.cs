using Gateway.Agent.Events;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Composition;

/// <summary>What composed devices need from the agent: its state directory (tag keys, frame counters), the event sink and loggers.</summary>
public sealed record DeviceEnvironment(string StateDirectory, IEventSink Events, ILoggerFactory Loggers);
