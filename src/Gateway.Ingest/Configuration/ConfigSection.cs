// The central configuration is read with the same validating JSON reader as the agent's profile
// (src/Gateway.Configuration); its problems are reported as ConfigException ("config FILE: 'key' problem").
global using ConfigSection = Gateway.Configuration.JsonSection<Gateway.Ingest.Configuration.ConfigException>;
