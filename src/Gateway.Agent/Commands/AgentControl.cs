using System.Security.Cryptography.X509Certificates;
using Gateway.Agent.Profiles;
using Microsoft.Extensions.Hosting;

namespace Gateway.Agent.Commands;

/// <summary><see cref="IAgentControl"/> over the running <see cref="AgentWorker"/> and the host's lifetime.</summary>
public sealed class AgentControl(AgentWorker worker, GatewayProfile profile, AgentOptions options, IHostApplicationLifetime lifetime, TimeProvider time)
    : IAgentControl
{
    /// <summary>A certificate closer to expiry than this fails the self-test: re-issuing takes a site visit or a provision run.</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    private readonly long _started = time.GetTimestamp();

    public string GatewayId => profile.GatewayId;
    public string ProfilePath => options.ProfilePath;

    public IReadOnlyDictionary<string, string> Sources { get; } = profile.Sources.ToDictionary(s => s.Name, s => s.Type, StringComparer.Ordinal);

    public AgentStatus Status()
    {
        var journal = worker.Journal;
        return new AgentStatus(profile.FileName, time.GetElapsedTime(_started), worker.Client.IsConnected, profile.Broker.Tls is not null,
            journal.UnacknowledgedRecords, journal.Bytes, journal.OldestUnacknowledgedUnixMs, worker.Publisher.PublishedBatches,
            worker.Publisher.PublishedReadings, worker.Pipeline.Statistics.Accepted,
            worker.Pipeline.Statistics.Dropped + journal.Statistics.DroppedItems, worker.Metrics.OfflineSeconds)
        {
            Sources = worker.Rates.Snapshot(),
        };
    }

    public void FlushJournal() => worker.Journal.Flush();

    public bool TrySetRate(string source, double ratePerSecond, string? requestedBy, out RateChange change, out string? problem) =>
        worker.Rates.TrySet(source, ratePerSecond, requestedBy, out change, out problem);

    public IReadOnlyList<SelfTestCheck> SelfTest() =>
    [
        StateDirectoryCheck(),
        DiskCheck(),
        new("broker", worker.Client.IsConnected, worker.Client.IsConnected
            ? $"connected to {profile.Broker.Host}:{profile.Broker.Port} ({(profile.Broker.Tls is null ? "plain TCP" : "mutual TLS")})"
            : $"not connected to {profile.Broker.Host}:{profile.Broker.Port}"),
        CertificateCheck(),
        ProfileCheck(),
    ];

    public void RequestRestart() => lifetime.StopApplication();

    private SelfTestCheck StateDirectoryCheck()
    {
        var probe = Path.Combine(options.StateDirectory, $".self-test-{Environment.ProcessId}");
        try
        {
            using (var f = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
            {
                f.WriteByte(1);
                f.Flush(flushToDisk: true);
            }
            return new("state-directory", true, $"{options.StateDirectory} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new("state-directory", false, $"{options.StateDirectory}: {ex.Message}");
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private SelfTestCheck DiskCheck()
    {
        try
        {
            var free = new DriveInfo(Path.GetFullPath(options.StateDirectory)).AvailableFreeSpace;
            var floor = profile.Journal.MinFreeBytes;
            return new("disk", free > floor, $"{free / (1024 * 1024)} MiB free (floor {floor / (1024 * 1024)} MiB)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new("disk", false, ex.Message);
        }
    }

    private SelfTestCheck CertificateCheck()
    {
        if (profile.Broker.Tls is not { } tls) return new("certificate", true, "no TLS configured (plain TCP)");
        try
        {
            using var cert = X509CertificateLoader.LoadCertificateFromFile(tls.CertFile);
            var left = cert.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime;
            var ok = left > CertificateWarning;
            return new("certificate", ok, $"{cert.Subject}, expires {cert.NotAfter.ToUniversalTime():yyyy-MM-dd} ({Math.Floor(left.TotalDays)} days)" +
                (ok ? "" : "; issue a new one with gatewayctl cert issue and re-run provision"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return new("certificate", false, $"{tls.CertFile}: {ex.Message}");
        }
    }

    private SelfTestCheck ProfileCheck()
    {
        try
        {
            ProfileLoader.Load(options.ProfilePath);
            return new("profile", true, $"{options.ProfilePath} loads");
        }
        catch (ProfileException ex)
        {
            return new("profile", false, ex.Message);
        }
    }
}
