using Gateway.Ingest.Alerts;

namespace Gateway.Ingest.Tests.Alerts;

public sealed class GeofenceTests
{
    private static readonly (double, double)[] Square = [(0, 0), (0, 1), (1, 1), (1, 0)];
    private static readonly (double, double)[] LShape = [(0, 0), (0, 2), (1, 2), (1, 1), (2, 1), (2, 0)];

    [Theory]
    [InlineData(0.5, 0.5, true)]
    [InlineData(1.5, 0.5, false)]
    [InlineData(-0.1, 0.5, false)]
    [InlineData(0.5, 1.0001, false)]
    public void Square_InsideAndOutside(double lat, double lon, bool inside) => Assert.Equal(inside, Geofence.Contains(Square, lat, lon));

    [Theory]
    [InlineData(0.5, 1.5, true)]
    [InlineData(1.5, 0.5, true)]
    [InlineData(1.5, 1.5, false)] // the notch of the L
    public void Concave_Polygon(double lat, double lon, bool inside) => Assert.Equal(inside, Geofence.Contains(LShape, lat, lon));
}
