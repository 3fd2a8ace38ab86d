using Gateway.Hardware.Simulation.Sx1276;

namespace Gateway.Hardware.Simulation.Tags;

/// <summary>
/// The tags around a simulated site, beaconing into an <see cref="Sx1276Model"/>: each sends a frame every beacon
/// interval (staggered so the first frames arrive within seconds), with its position on its route, its battery and its
/// flags; signal strength falls with distance (log-distance path loss), and a tag beyond the receiver's sensitivity is
/// not heard at all. Now and then the air also carries what real sites see: a frame corrupted on the air (CRC error),
/// a replayed copy of an earlier frame, and a tag that was never provisioned here.
/// </summary>
public sealed class SimulatedTagFleet : IDisposable
{
    /// <summary>A tag's transmit power (the SX1276's +14 dBm PA_BOOST setting is typical for tags).</summary>
    private const double TxPowerDbm = 14;

    /// <summary>SX1276 sensitivity at SF9/125 kHz is about -129 dBm (datasheet table 13); a few dB of margin.</summary>
    private const double SensitivityDbm = -126;

    private readonly Lock _gate = new();
    private readonly SimulatedSite _site;
    private readonly Sx1276Model _radio;
    private readonly SimulatedLoraChannel _channel;
    private readonly TimeProvider _time;
    private readonly int _seed;
    private readonly List<TagState> _tags;
    private readonly long _start;
    private ITimer? _timer;
    private byte[]? _lastFrame;

    /// <param name="site">Where the gateway is; tag positions and range are relative to it.</param>
    /// <param name="radio">The gateway's SX1276 model that hears the frames.</param>
    /// <param name="channel">The radio channel (frequency, spreading factor, bandwidth, sync word) both sides use.</param>
    /// <param name="tags">The tags, each with its id, key, role and beacon interval.</param>
    /// <param name="time">The simulated clock beacons follow.</param>
    /// <param name="seed">Seeds movement, corruption and replays, so a run is reproducible.</param>
    public SimulatedTagFleet(SimulatedSite site, Sx1276Model radio, SimulatedLoraChannel channel, IEnumerable<SimulatedTag> tags, TimeProvider time, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(radio);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(time);
        _site = site;
        _radio = radio;
        _channel = channel;
        _time = time;
        _seed = seed;
        _start = time.GetTimestamp();
        _tags = [.. tags.Select((t, i) => new TagState(t, _start + (long)((i + 1) * 0.4 * time.TimestampFrequency)))];
    }

    /// <summary>Frames put on the air (heard or not).</summary>
    public long Sent { get; private set; }

    /// <summary>Frames not heard because the tag was beyond the receiver's sensitivity.</summary>
    public long OutOfRange { get; private set; }

    /// <summary>Frames deliberately corrupted, replayed, or sent by the rogue tag.</summary>
    public long Corrupted { get; private set; }
    /// <summary>Frames sent again unchanged (an old counter), which the gateway must drop as replays.</summary>
    public long Replayed { get; private set; }

    /// <summary>
    /// Starts (or resumes) beaconing: a check every 200 ms of simulated time sends whatever is due. Beacons missed
    /// while stopped are skipped, as a tag's are while nobody listens.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_timer is not null) return;
            var now = _time.GetTimestamp();
            foreach (var tag in _tags)
            {
                var period = (long)(tag.Tag.BeaconInterval.TotalSeconds * _time.TimestampFrequency);
                while (tag.NextDue < now - period) tag.NextDue += period;
            }
            _timer = _time.CreateTimer(_ => Tick(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Stops beaconing; <see cref="Start"/> resumes with the same counters.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>Sends every frame that is due now (also usable directly by tests with a manual clock).</summary>
    public void Tick()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            foreach (var tag in _tags)
            {
                while (tag.NextDue <= now)
                {
                    Beacon(tag, tag.NextDue);
                    tag.NextDue += (long)(tag.Tag.BeaconInterval.TotalSeconds * _time.TimestampFrequency);
                }
            }
        }
    }

    /// <summary>Where a tag is at simulated time <paramref name="seconds"/> after start: latitude, longitude, metres from the site.</summary>
    public (double Latitude, double Longitude, double Distance) Locate(SimulatedTag tag, double seconds)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var (east, north, _) = SimulatedTagMotion.Position(tag.Role, Seed(tag), seconds);
        var lat = _site.Latitude + (north / 111_320.0);
        var lon = _site.Longitude + (east / (111_320.0 * Math.Cos(_site.Latitude * Math.PI / 180)));
        return (lat, lon, Math.Sqrt((east * east) + (north * north)));
    }

    private void Beacon(TagState state, long due)
    {
        var tag = state.Tag;
        var seconds = (due - _start) / (double)_time.TimestampFrequency;
        var (_, _, moving) = SimulatedTagMotion.Position(tag.Role, Seed(tag), seconds);
        var (lat, lon, distance) = Locate(tag, seconds);
        var battery = SimulatedTagMotion.Battery(tag.Role, Seed(tag), seconds);
        byte flags = 0;
        if (moving) flags |= SimulatedTagFrame.FlagMoving;
        if (SimulatedTagMotion.Alarm(tag.Role, seconds)) flags |= SimulatedTagFrame.FlagAlarm;
        if (battery < 3300) flags |= SimulatedTagFrame.FlagLowBattery;
        var hasGps = tag.Role != SimulatedTagRole.Container;
        var frame = SimulatedTagFrame.Encode(tag.Key, tag.TagId, ++state.Counter, flags, battery, hasGps ? lat : null, hasGps ? lon : null);
        Sent++;

        // Log-distance path loss, exponent 2.7 (open terrain with some clutter), 40 dB at 1 m for sub-GHz.
        var noise = Noise(tag.TagId, state.Counter);
        // Nothing stands closer than 20 m to the gateway's antenna mast.
        var rssi = TxPowerDbm - (40 + (27 * Math.Log10(Math.Max(distance, 20)))) + (2 * noise);
        if (rssi < SensitivityDbm)
        {
            OutOfRange++;
            return;
        }
        // LoRa SNR: the margin over the noise floor, saturating near +10 dB for strong signals.
        var snr = Math.Min(10, rssi - _radio.NoiseFloorDbm + noise);
        var corrupt = Sent % 37 == 0;
        if (corrupt) Corrupted++;
        _radio.Receive(frame, _channel, rssi, snr, crcError: corrupt);
        if (Sent % 29 == 0 && _lastFrame is { } previous)
        {
            // Someone recorded an earlier frame and plays it back: the MIC is valid, the counter is old.
            Replayed++;
            _radio.Receive(previous, _channel, rssi - 6, snr - 3);
        }
        if (!tag.Rogue) _lastFrame = frame;
    }

    private int Seed(SimulatedTag tag) => (int)(Mix(((ulong)(uint)_seed << 32) | tag.TagId) & 0x7FFFFFFF);

    /// <summary>Deterministic noise in [-1, 1] from (seed, tag, counter): the same on every run (HashCode is per-process random).</summary>
    private double Noise(uint tagId, uint counter)
    {
        var h = Mix(Mix(((ulong)(uint)_seed << 32) | tagId) ^ counter);
        return ((h >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
    }

    /// <summary>SplitMix64's finaliser: a stable, well-spread 64-bit mix.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Stops beaconing (as <see cref="Stop"/>).</summary>
    public void Dispose() => Stop();

    private sealed class TagState(SimulatedTag tag, long firstDue)
    {
        public SimulatedTag Tag { get; } = tag;
        public long NextDue { get; set; } = firstDue;
        public uint Counter { get; set; } = tag.LastCounter;
    }
}
