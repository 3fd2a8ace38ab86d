using Gateway.Ingest;

// gateway-ingest: MQTT fleet telemetry -> InfluxDB. See IngestOptions.Usage for its settings.
return await IngestHost.RunAsync(args).ConfigureAwait(false);
