// The profile is read with the validating JSON reader shared with the central services (src/Gateway.Configuration);
// its problems are reported as ProfileException ("profile FILE: 'key' problem").
global using JsonSection = Gateway.Configuration.JsonSection<Gateway.Agent.Profiles.ProfileException>;
