using System.Text;
using Gateway.Agent.Profiles;
using Gateway.TestKit.Data;

namespace Gateway.Cli.Tests.Provisioning;

/// <summary>Profiles read by the agent's own loader, as provisioning reads them: a valid head around the given sources.</summary>
internal static class TestProfiles
{
    public static GatewayProfile WithSources(string sources) => ProfileLoader.Parse(Encoding.UTF8.GetBytes(
        $$"""{ "gatewayId": "cp-test-01", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" }, "hardware": "linux", "sources": [ {{sources}} ] }"""),
        "test.json");

    public static GatewayProfile Shipped(string fileName) => ProfileLoader.Load(Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), fileName));
}
