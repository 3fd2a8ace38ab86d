namespace Gateway.Hardware.Simulation.Tags;

/// <summary>What a simulated tag is attached to, which decides how it moves and behaves.</summary>
public enum SimulatedTagRole
{
    /// <summary>A patrol vehicle circling the site.</summary>
    Patrol,

    /// <summary>A container parked in the yard, without GPS (frames carry no position).</summary>
    Container,

    /// <summary>A generator whose tag battery runs down until it reports low battery.</summary>
    Generator,

    /// <summary>A supply truck that drives out of radio range and comes back.</summary>
    SupplyTruck,

    /// <summary>A guard's tag whose alarm button is pressed now and then.</summary>
    Guard,
}

/// <summary>One simulated asset tag: its identity and key (as provisioned in the gateway), role and beacon period.</summary>
public sealed record SimulatedTag(uint TagId, byte[] Key, SimulatedTagRole Role, TimeSpan BeaconInterval)
{
    /// <summary>A tag that is not provisioned on the gateway (its frames are counted as unknown and dropped).</summary>
    public bool Rogue { get; init; }

    /// <summary>The counter of the tag's last frame before this run: a real tag keeps it in flash across power cycles.</summary>
    public uint LastCounter { get; init; }
}
