namespace Gateway.DiskQueue;

/// <summary>Marker for the durable journal assembly; the journal itself lands with the store-and-forward work.</summary>
internal static class AssemblyMarker
{
}
