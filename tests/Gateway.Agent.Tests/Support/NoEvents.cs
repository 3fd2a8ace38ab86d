using Gateway.Agent.Events;

namespace Gateway.Agent.Tests.Support;

/// <summary>An event sink that accepts every event and keeps none, for tests that compose sources but do not look at events.</summary>
internal sealed class NoEvents : IEventSink
{
    public bool TryPublish(AgentEvent agentEvent) => true;
}
