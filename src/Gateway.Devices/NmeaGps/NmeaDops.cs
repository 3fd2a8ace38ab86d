using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Dilutions of precision computed from the sky view, as gpsd's <c>fill_dop()</c> does: the line-of-sight matrix A of
/// the used satellites (rows sin az cos el, cos az cos el, sin el, 1), the covariance (AᵀA)⁻¹, and from its diagonal
/// X = √c₀₀, Y = √c₁₁, H = √(c₀₀+c₁₁), V = √c₂₂, P = √(c₀₀+c₁₁+c₂₂). Receivers send H/P/V (GSA) but never X/Y, which
/// gpsd's longitude/latitude error estimates need. Null with fewer than four usable satellites or a singular matrix.
/// </summary>
internal readonly record struct NmeaDops(double? Xdop, double? Ydop, double? Hdop, double? Vdop, double? Pdop)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NmeaDops FromSky(ReadOnlySpan<NmeaSatellite> sky)
    {
        Span<double> m = stackalloc double[16]; // AᵀA, row-major
        m.Clear();
        var n = 0;
        foreach (var s in sky)
        {
            // gpsd's filter: used, PRN >= 1, azimuth 0..359, |elevation| <= 90.
            if (!s.Used || s.Prn < 1 || s.Azimuth is not { } az || az is < 0 or > 359 || s.Elevation is not { } el || Math.Abs((int)el) > 90)
                continue;
            Accumulate(m, Sine(az) * Cosine(el), Cosine(az) * Cosine(el), Sine(el));
            n++;
        }
        if (n < 4 || !Invert(m)) return default;
        double cx = m[0], cy = m[5], cz = m[10];
        if (cx < 0 || cy < 0 || cz < 0) return default;
        return new NmeaDops(Math.Sqrt(cx), Math.Sqrt(cy), Math.Sqrt(cx + cy), Math.Sqrt(cz), Math.Sqrt(cx + cy + cz));
    }

    // Sines and cosines of the whole degrees GSV gives (elevation -90..90, azimuth 0..359), computed once with the
    // expression each cycle used to evaluate for every satellite (sin/cos were 5 % of a replay), so the values are the same.
    private const int MinDegree = -90, MaxDegree = 359;
    private static readonly double[] Sines = Table(Math.Sin), Cosines = Table(Math.Cos);

    private static double Sine(int degrees) => Sines[degrees - MinDegree];

    private static double Cosine(int degrees) => Cosines[degrees - MinDegree];

    private static double[] Table(Func<double, double> function)
    {
        var table = new double[MaxDegree - MinDegree + 1];
        for (var d = MinDegree; d <= MaxDegree; d++) table[d - MinDegree] = function(d * (Math.PI / 180));
        return table;
    }

    /// <summary>Adds the outer product of the row (x, y, z, 1) to AᵀA.</summary>
    private static void Accumulate(Span<double> m, double x, double y, double z)
    {
        ReadOnlySpan<double> row = [x, y, z, 1];
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++) m[(i * 4) + j] += row[i] * row[j];
    }

    /// <summary>In-place Gauss-Jordan inversion of a 4x4 matrix with partial pivoting; false when singular.</summary>
    private static bool Invert(Span<double> m)
    {
        Span<double> inv = stackalloc double[16];
        inv.Clear();
        for (var i = 0; i < 4; i++) inv[(i * 4) + i] = 1;
        for (var col = 0; col < 4; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 4; r++)
                if (Math.Abs(m[(r * 4) + col]) > Math.Abs(m[(pivot * 4) + col])) pivot = r;
            if (Math.Abs(m[(pivot * 4) + col]) < 1e-12) return false;
            if (pivot != col)
            {
                for (var k = 0; k < 4; k++)
                {
                    (m[(col * 4) + k], m[(pivot * 4) + k]) = (m[(pivot * 4) + k], m[(col * 4) + k]);
                    (inv[(col * 4) + k], inv[(pivot * 4) + k]) = (inv[(pivot * 4) + k], inv[(col * 4) + k]);
                }
            }
            var d = m[(col * 4) + col];
            for (var k = 0; k < 4; k++)
            {
                m[(col * 4) + k] /= d;
                inv[(col * 4) + k] /= d;
            }
            for (var r = 0; r < 4; r++)
            {
                if (r == col) continue;
                var factor = m[(r * 4) + col];
                if (factor == 0) continue;
                for (var k = 0; k < 4; k++)
                {
                    m[(r * 4) + k] -= factor * m[(col * 4) + k];
                    inv[(r * 4) + k] -= factor * inv[(col * 4) + k];
                }
            }
        }
        inv.CopyTo(m);
        return true;
    }
}
