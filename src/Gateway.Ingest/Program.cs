using Gateway.Ingest;
using Gateway.Ingest.Dashboard.Auth;

// gateway-ingest: the central service (MQTT -> store, alerts, dashboard). See IngestOptions.Usage for its settings.
if (args is ["hash-password", ..])
    return HashPasswordCommand.Run(args[1..], Console.In, Console.Out, Console.Error);
return await IngestHost.RunAsync(args).ConfigureAwait(false);
