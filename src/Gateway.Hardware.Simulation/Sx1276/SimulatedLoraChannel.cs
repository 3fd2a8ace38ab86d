namespace Gateway.Hardware.Simulation.Sx1276;

/// <summary>What a simulated transmitter sends on: the receiver hears it only when its registers match (as on air).</summary>
public sealed record SimulatedLoraChannel(long FrequencyHz, int SpreadingFactor, int BandwidthHz, byte SyncWord);
