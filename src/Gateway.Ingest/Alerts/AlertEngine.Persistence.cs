using System.Text.Json;
using Gateway.Core.Files;

namespace Gateway.Ingest.Alerts;

// Active alerts (and acknowledgements) survive a restart, so a restart neither raises them a second time nor
// forgets that an operator acknowledged them. Written crash-atomically and durably (AtomicFile), like the fleet state.
public sealed partial class AlertEngine
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Save(string path)
    {
        List<Alert> alerts;
        lock (_lock) alerts = [.. _alerts.Values];
        JsonStateFile.Write(path, alerts, Json, AtomicFile.Readable);
    }

    public bool Load(string path, out string? problem)
    {
        problem = null;
        if (!JsonStateFile.TryRead<List<Alert>>(path, Json, out var alerts, out var error))
        {
            if (error is not null)
                problem = $"{path} cannot be read ({error.Message}); starting with no alerts (active conditions raise again)";
            return false;
        }
        lock (_lock)
        {
            foreach (var a in alerts ?? [])
            {
                if (a?.Id is null || a.Rule is null) continue;
                _alerts[a.Id] = a;
                _trackers[a.Id] = AlertTracker.Restored(a.Active);
            }
        }
        return true;
    }
}
