using Gateway.Agent;

// gateway-agent --profile FILE [--state-dir DIR]: the worker that runs on the gateway under systemd.
// SIGTERM (systemd stop) and Ctrl-C stop it cleanly through the Generic Host's console lifetime.
return await AgentHost.RunAsync(args).ConfigureAwait(false);
