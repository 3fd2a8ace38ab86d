namespace Gateway.Devices.Tags;

/// <summary>
/// Decides whether a received packet is a genuine, fresh frame from a provisioned tag (DESIGN §6): it must decode, its
/// tag must be in the key file, its MIC must verify under that tag's key, and its counter must be greater than the last
/// one accepted for the tag. An accepted counter is persisted before the frame is reported. A tag added with
/// <c>gatewayctl tags add</c> while the agent runs is picked up when its first frame arrives (the key file is re-read
/// when it has changed). Not thread-safe: owned by one radio source.
/// </summary>
public sealed class TagAuthenticator : IDisposable
{
    private readonly string _keyPath;
    private readonly FrameCounterStore _counters;
    private readonly Dictionary<uint, AesCmac> _macs = [];
    private TagKeyStore _keys;
    private DateTime _keysWritten;

    /// <param name="keyPath">The tag key file (<see cref="TagKeyStore"/>); loaded now, re-read when it changes.</param>
    /// <param name="counters">The persisted frame counters; stays the caller's, and is written on every accepted frame.</param>
    public TagAuthenticator(string keyPath, FrameCounterStore counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        _keyPath = keyPath;
        _counters = counters;
        _keys = TagKeyStore.Load(keyPath);
        _keysWritten = LastWrite();
    }

    internal TagStatistics Statistics { get; } = new();

    /// <summary>Provisioned tags at the last (re)load.</summary>
    public int KnownTags => _keys.Count;

    /// <summary>
    /// Checks <paramref name="packet"/>. On <see cref="TagVerdict.Accepted"/>, <paramref name="frame"/> is the frame and
    /// <paramref name="firstSeen"/> says whether this gateway never accepted a frame of this tag before. Otherwise
    /// <paramref name="reason"/> says why it was dropped (no secrets in it).
    /// </summary>
    internal TagVerdict Check(ReadOnlySpan<byte> packet, out TagFrame frame, out bool firstSeen, out string reason)
    {
        var verdict = CheckCore(packet, out frame, out firstSeen, out reason);
        Statistics.Count(verdict);
        return verdict;
    }

    private TagVerdict CheckCore(ReadOnlySpan<byte> packet, out TagFrame frame, out bool firstSeen, out string reason)
    {
        firstSeen = false;
        reason = "";
        try
        {
            frame = TagFrameCodec.Decode(packet);
        }
        catch (TagFrameException ex)
        {
            frame = default;
            reason = ex.Message;
            return TagVerdict.Malformed;
        }
        var mac = MacFor(frame.TagId);
        if (mac is null)
        {
            reason = $"tag {frame.TagHex} is not provisioned here (gatewayctl tags add {frame.TagHex})";
            return TagVerdict.UnknownTag;
        }
        if (!TagFrameCodec.VerifyMic(packet, mac))
        {
            // The tag may have been re-keyed since the file was read: reload once and try again.
            if (ReloadIfChanged() && MacFor(frame.TagId) is { } fresh && TagFrameCodec.VerifyMic(packet, fresh))
                return Fresh(frame, out firstSeen, out reason);
            reason = $"tag {frame.TagHex}: MIC does not verify (corrupted, forged, or the tag has another key)";
            return TagVerdict.BadMic;
        }
        return Fresh(frame, out firstSeen, out reason);
    }

    private TagVerdict Fresh(in TagFrame frame, out bool firstSeen, out string reason)
    {
        reason = "";
        firstSeen = !_counters.TryGet(frame.TagId, out var last);
        if (!firstSeen && frame.Counter <= last)
        {
            reason = $"tag {frame.TagHex}: counter {frame.Counter} is not above the last accepted {last} (replayed or duplicated)";
            return TagVerdict.Replayed;
        }
        _counters.Accept(frame.TagId, frame.Counter);
        return TagVerdict.Accepted;
    }

    private AesCmac? MacFor(uint tagId)
    {
        if (_macs.TryGetValue(tagId, out var mac)) return mac;
        if (!_keys.TryGet(tagId, out var entry))
        {
            if (!ReloadIfChanged() || !_keys.TryGet(tagId, out entry)) return null;
        }
        mac = new AesCmac(entry.Key);
        _macs[tagId] = mac;
        return mac;
    }

    private bool ReloadIfChanged()
    {
        var written = LastWrite();
        if (written == _keysWritten) return false;
        _keys = TagKeyStore.Load(_keyPath);
        _keysWritten = written;
        foreach (var mac in _macs.Values) mac.Dispose();
        _macs.Clear();
        return true;
    }

    private DateTime LastWrite() => File.Exists(_keyPath) ? File.GetLastWriteTimeUtc(_keyPath) : DateTime.MinValue;

    /// <summary>Disposes the per-tag <see cref="AesCmac"/> instances, which zeroes their key material.</summary>
    public void Dispose()
    {
        foreach (var mac in _macs.Values) mac.Dispose();
        _macs.Clear();
    }
}
