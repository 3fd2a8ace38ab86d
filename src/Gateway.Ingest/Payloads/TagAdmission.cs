using System.Globalization;
using System.Text;

namespace Gateway.Ingest.Payloads;

/// <summary>
/// Which asset tag ids a gateway may introduce: at most <c>maxPerGateway</c> distinct ids per gateway at a time (an id
/// not heard from that gateway for a day makes room), and new ones at <c>newPerMinute</c> (a bucket that refills
/// continuously up to <c>burst</c>). Ids a gateway already introduced, and the assets named in the configuration,
/// always pass. The ingest keeps nothing across a restart, so its burst is the whole quota (a restarted ingest must
/// store every real tag's points at once, not a minute's worth); the monitor reloads what it knew and has a minute's
/// worth. One gateway sending 100,000
/// invented ids once filled InfluxDB's max-values-per-tag (a real new asset was then refused for good), the dashboard's
/// asset table and the alert list (issue 12 item 5); now each gateway's flood is confined to its own quota, and its
/// refusals are counted per gateway. The ingest (what reaches the store) and the monitor (what the dashboard and alerts
/// track) each keep one. Thread-safe.
/// </summary>
public sealed class TagAdmission
{
    /// <summary>Gateways remembered; as many as the monitor tracks.</summary>
    public const int MaxGateways = 20_000;

    /// <summary>An id not heard from a gateway for this long no longer counts against its quota.</summary>
    public static readonly TimeSpan Forget = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Quota> _gateways = new(StringComparer.Ordinal);
    private readonly HashSet<string> _configured;
    private readonly int _maxPerGateway;
    private readonly double _perMinute;
    private readonly double _burst;
    private readonly TimeProvider _time;

    public TagAdmission(int maxPerGateway, int newPerMinute, int burst, IEnumerable<string> configuredTags, TimeProvider time)
    {
        _maxPerGateway = maxPerGateway;
        _perMinute = newPerMinute;
        _burst = burst;
        _configured = new HashSet<string>(configuredTags, StringComparer.Ordinal);
        _time = time;
    }

    /// <summary>True when <paramref name="gateway"/> may report <paramref name="tag"/>; a refusal is counted.</summary>
    public bool Admit(string gateway, string tag)
    {
        if (_configured.Contains(tag)) return true;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (!_gateways.TryGetValue(gateway, out var quota))
            {
                if (_gateways.Count >= MaxGateways) return false;
                _gateways[gateway] = quota = new Quota(_burst, now);
            }
            if (quota.Known.ContainsKey(tag))
            {
                quota.Known[tag] = now;
                return true;
            }
            quota.Tokens = Math.Min(_burst, quota.Tokens + _time.GetElapsedTime(quota.RefilledAt, now).TotalMinutes * _perMinute);
            quota.RefilledAt = now;
            if (quota.Known.Count >= _maxPerGateway) ForgetStale(quota, now);
            if (quota.Known.Count >= _maxPerGateway || quota.Tokens < 1)
            {
                quota.Refused++;
                return false;
            }
            quota.Tokens -= 1;
            quota.Known[tag] = now;
            return true;
        }
    }

    /// <summary>Records that <paramref name="gateway"/> already reported <paramref name="tag"/> (state reloaded at start), within its quota, without using its rate.</summary>
    public void Remember(string gateway, string tag)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (!_gateways.TryGetValue(gateway, out var quota))
            {
                if (_gateways.Count >= MaxGateways) return;
                _gateways[gateway] = quota = new Quota(_burst, now);
            }
            if (quota.Known.Count < _maxPerGateway) quota.Known[tag] = now;
        }
    }

    /// <summary>Refused tag points per gateway (only gateways with refusals).</summary>
    public IReadOnlyDictionary<string, long> Refusals()
    {
        lock (_lock) return _gateways.Where(g => g.Value.Refused > 0).ToDictionary(g => g.Key, g => g.Value.Refused, StringComparer.Ordinal);
    }

    /// <summary>One counter line per gateway with refusals, in the Prometheus text format.</summary>
    public void WriteMetrics(StringBuilder output, string name, string help)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n");
        foreach (var (gateway, refused) in Refusals().OrderBy(r => r.Key, StringComparer.Ordinal))
            output.Append(name).Append("{gateway=\"").Append(gateway.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))
                .Append("\"} ").Append(refused.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Drops ids not heard for <see cref="Forget"/>; scans at most once a minute per gateway (a flood calls this for every refusal).</summary>
    private void ForgetStale(Quota quota, long now)
    {
        if (quota.ScannedAt is { } scanned && _time.GetElapsedTime(scanned, now) < TimeSpan.FromMinutes(1)) return;
        quota.ScannedAt = now;
        foreach (var (tag, seen) in quota.Known.ToList())
            if (_time.GetElapsedTime(seen, now) >= Forget) quota.Known.Remove(tag);
    }

    private sealed class Quota(double tokens, long now)
    {
        /// <summary>Id → when this gateway last reported it.</summary>
        public Dictionary<string, long> Known { get; } = new(StringComparer.Ordinal);
        public long? ScannedAt { get; set; }
        public double Tokens { get; set; } = tokens;
        public long RefilledAt { get; set; } = now;
        public long Refused { get; set; }
    }
}
