using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// The satellites in view (GSV groups, one per talker) and which ones the fix uses (GSA lists), in fixed arrays so
/// that a cycle allocates nothing. A GSV group replaces the previous group of the same talker when its first sentence
/// arrives; used flags come from the GSA sentences of the latest cycle that had any.
/// </summary>
internal sealed class NmeaSkyView
{
    /// <summary>Enough for four full constellations in view; more are ignored (and nobody sees more).</summary>
    private const int Capacity = 128;

    private readonly Entry[] _entries = new Entry[Capacity];
    private readonly NmeaSatellite[] _view = new NmeaSatellite[Capacity];
    private readonly (GnssSystem System, short Prn)[] _used = new (GnssSystem, short)[Capacity];
    private readonly (GnssSystem System, short Prn)[] _cycleUsed = new (GnssSystem, short)[Capacity];
    private int _count, _usedCount, _cycleUsedCount, _viewCount;
    private ulong _usedPrnBits;
    private bool _viewDirty = true;

    public bool HasView { get; private set; }

    public int UsedCount => _usedCount;

    public SatelliteCounts UsedBySystem { get; private set; }

    public SatelliteCounts SeenBySystem { get; private set; }

    /// <summary>The sky with used flags; valid until the next change.</summary>
    public ReadOnlySpan<NmeaSatellite> Satellites
    {
        get
        {
            if (_viewDirty) BuildView();
            return _view.AsSpan(0, _viewCount);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in GsvSentence gsv)
    {
        HasView = true;
        var group = gsv.System;
        if (gsv.Number == 1) Remove(group);
        for (var i = 0; i < gsv.SatelliteCount && _count < Capacity; i++)
        {
            var s = gsv.Satellites[i];
            var system = GnssSystems.Resolve(group, 0, s.Prn);
            _entries[_count++] = new Entry(group, new NmeaSatellite(system, s.Prn, s.Elevation, s.Azimuth, s.Snr, Used: false));
        }
        _viewDirty = true;
    }

    public void BeginCycle() => _cycleUsedCount = 0;

    public void MarkUsed(GnssSystem system, short prn)
    {
        if (_cycleUsedCount < Capacity) _cycleUsed[_cycleUsedCount++] = (system, prn);
    }

    /// <summary>Adopts the cycle's GSA lists (when it had GSA) and recounts.</summary>
    public void EndCycle(bool hadGsa)
    {
        if (hadGsa)
        {
            Array.Copy(_cycleUsed, _used, _cycleUsedCount);
            _usedCount = _cycleUsedCount;
        }
        _viewDirty = true;
        BuildView();
    }

    private void Remove(GnssSystem group)
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
            if (_entries[i].Group != group) _entries[kept++] = _entries[i];
        _count = kept;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildView()
    {
        var seen = default(SatelliteCounts);
        var used = default(SatelliteCounts);
        _usedPrnBits = 0;
        for (var u = 0; u < _usedCount; u++)
        {
            var system = _used[u].System != GnssSystem.Unknown ? _used[u].System : GnssSystems.FromPrn(_used[u].Prn);
            used[(int)system]++;
            _usedPrnBits |= PrnBit(_used[u].Prn);
        }
        _viewCount = 0;
        for (var i = 0; i < _count; i++)
        {
            var s = _entries[i].Satellite;
            _view[_viewCount++] = s with { Used = IsUsed(s) };
            seen[(int)s.System]++;
        }
        UsedBySystem = used;
        SeenBySystem = seen;
        _viewDirty = false;
    }

    private bool IsUsed(in NmeaSatellite s)
    {
        // Most satellites in view are not used: one bit test rejects them without the scan of the used list.
        if ((_usedPrnBits & PrnBit(s.Prn)) == 0) return false;
        for (var u = 0; u < _usedCount; u++)
        {
            var (system, prn) = _used[u];
            if (prn == s.Prn && (system == GnssSystem.Unknown || system == s.System)) return true;
        }
        return false;
    }

    /// <summary>A PRN's bit in <see cref="_usedPrnBits"/> (PRNs 64 apart share one: the bit only rules out).</summary>
    private static ulong PrnBit(short prn) => 1UL << (prn & 63);

    private readonly record struct Entry(GnssSystem Group, NmeaSatellite Satellite);
}
