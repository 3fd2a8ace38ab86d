using Gateway.Agent.Profiles;
using Gateway.Devices.Tags;
using Gateway.Hardware.Simulation.Sx1276;
using Gateway.Hardware.Simulation.Tags;

namespace Gateway.Agent.Composition;

public sealed partial class SimulatedHardware
{
    /// <summary>How often the simulated tags beacon: fast enough for the demo to move, slow enough to be a real tag's.</summary>
    public static readonly TimeSpan TagBeaconInterval = TimeSpan.FromSeconds(5);

    /// <summary>The simulated site's tags (ids derive from the seed); the last one is a rogue that is never provisioned.</summary>
    public IReadOnlyList<SimulatedTag> Tags { get; private set; } = [];

    /// <summary>The tags' transmitter, for diagnostics and tests (null without a lora source).</summary>
    public SimulatedTagFleet? Fleet { get; private set; }

    /// <summary>The SX1276 model the tags transmit into, for diagnostics and tests (null without a lora source).</summary>
    public Sx1276Model? Radio { get; private set; }

    /// <summary>
    /// An SX1276 model behind the radio's SPI device, its NRESET and DIO0 on the simulated GPIO chip, and the site's tags
    /// beaconing into it. The simulated tags must be provisioned like real ones: any missing from the gateway's key
    /// file are added with fresh random keys (what <c>gatewayctl tags add</c> does), so the agent authenticates them.
    /// </summary>
    private void PrepareLora(LoraSourceProfile lora)
    {
        var model = new Sx1276Model(Chip(lora.GpioChip), lora.ResetLine, lora.Dio0Line);
        _spiModels[lora.Name] = model;
        var keys = TagKeyStore.Load(TagKeyStore.DefaultPath(_stateDirectory));
        var counters = FrameCounterStore.Load(FrameCounterStore.DefaultPath(_stateDirectory));
        SimulatedTagRole[] roles = [SimulatedTagRole.Patrol, SimulatedTagRole.Container, SimulatedTagRole.Generator, SimulatedTagRole.SupplyTruck, SimulatedTagRole.Guard];
        var tags = new List<SimulatedTag>();
        var baseId = 0xA5000000u | ((uint)(_seed & 0xFFFF) << 4);
        var changed = false;
        for (var i = 0; i < roles.Length; i++)
        {
            var id = baseId + (uint)i;
            if (!keys.TryGet(id, out var entry))
            {
                entry = keys.Add(id, _time.GetUtcNow());
                changed = true;
            }
            counters.TryGet(id, out var last);
            tags.Add(new SimulatedTag(id, entry.Key, roles[i], TagBeaconInterval) { LastCounter = last });
        }
        if (changed) keys.Save();
        tags.Add(new SimulatedTag(baseId + 0xF, System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), SimulatedTagRole.Patrol, TagBeaconInterval * 3) { Rogue = true });
        Tags = tags;
        var plan = lora.Plan;
        var channel = new SimulatedLoraChannel(plan.FrequencyHz, plan.SpreadingFactor, (int)plan.BandwidthHz, plan.SyncWord);
        var fleet = new SimulatedTagFleet(_site, model, channel, tags, _time, _seed);
        Fleet = fleet;
        Radio = model;
        _worlds[lora.Name] = new World(fleet.Start, fleet.Stop);
    }
}
