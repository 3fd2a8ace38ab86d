namespace Gateway.Devices.NmeaGps;

/// <summary>Distance on the WGS-84 ellipsoid, as gpsd computes it (<c>earth_distance()</c>: Vincenty's inverse formula).</summary>
internal static class Geodesy
{
    // WGS-84 (NIMA TR8350.2 §3): semi-major axis and flattening.
    private const double A = 6378137.0, F = 1 / 298.257223563, B = A * (1 - F);

    /// <summary>
    /// Metres between two positions (degrees), by Vincenty's inverse formula (Survey Review XXIII, 1975); when it does
    /// not converge (nearly antipodal points) the spherical distance on the mean radius, as gpsd falls back.
    /// </summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        const double Rad = Math.PI / 180;
        var l = (lon2 - lon1) * Rad;
        var u1 = Math.Atan((1 - F) * Math.Tan(lat1 * Rad));
        var u2 = Math.Atan((1 - F) * Math.Tan(lat2 * Rad));
        double sinU1 = Math.Sin(u1), cosU1 = Math.Cos(u1), sinU2 = Math.Sin(u2), cosU2 = Math.Cos(u2);
        double lambda = l, sinSigma, cosSigma, sigma, cosSqAlpha, cos2SigmaM;
        var iterations = 100;
        do
        {
            double sinLambda = Math.Sin(lambda), cosLambda = Math.Cos(lambda);
            sinSigma = Math.Sqrt((cosU2 * sinLambda * cosU2 * sinLambda)
                + ((cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda)) * ((cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda)));
            if (sinSigma == 0) return 0; // the same point
            cosSigma = (sinU1 * sinU2) + (cosU1 * cosU2 * cosLambda);
            sigma = Math.Atan2(sinSigma, cosSigma);
            var sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            cosSqAlpha = 1 - (sinAlpha * sinAlpha);
            cos2SigmaM = cosSqAlpha == 0 ? 0 : cosSigma - (2 * sinU1 * sinU2 / cosSqAlpha); // equatorial line: 0
            var c = F / 16 * cosSqAlpha * (4 + (F * (4 - (3 * cosSqAlpha))));
            var previous = lambda;
            lambda = l + ((1 - c) * F * sinAlpha
                * (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
            if (Math.Abs(lambda - previous) < 1e-12) break;
        }
        while (--iterations > 0);
        if (iterations == 0) return Spherical(lat1, lon1, lat2, lon2);
        var uSq = cosSqAlpha * ((A * A) - (B * B)) / (B * B);
        var a = 1 + (uSq / 16384 * (4096 + (uSq * (-768 + (uSq * (320 - (175 * uSq)))))));
        var b = uSq / 1024 * (256 + (uSq * (-128 + (uSq * (74 - (47 * uSq))))));
        var deltaSigma = b * sinSigma * (cos2SigmaM + (b / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))
            - (b / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
        return B * a * (sigma - deltaSigma);
    }

    /// <summary>Great-circle distance on a sphere of the WGS-84 mean radius (haversine).</summary>
    private static double Spherical(double lat1, double lon1, double lat2, double lon2)
    {
        const double Rad = Math.PI / 180, MeanRadius = 6371009;
        var dLat = (lat2 - lat1) * Rad;
        var dLon = (lon2 - lon1) * Rad;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(lat1 * Rad) * Math.Cos(lat2 * Rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * MeanRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
