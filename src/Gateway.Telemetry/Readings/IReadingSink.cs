namespace Gateway.Telemetry.Readings;

/// <summary>Where sources put readings: the pipeline's input. Never blocks; false means the reading was not taken.</summary>
public interface IReadingSink
{
    /// <summary>
    /// Offers a reading. Returns false when the pipeline refused it (full in <c>DropNewest</c> mode, or completed);
    /// the pipeline counts every refusal, so callers need not.
    /// </summary>
    bool TryWrite(in Reading reading);
}
