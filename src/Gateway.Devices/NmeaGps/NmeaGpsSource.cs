using System.Buffers;
using Gateway.Devices.Pacing;
using Gateway.Hardware.Serial;
using Gateway.Telemetry.Readings;
using Microsoft.Extensions.Logging;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Reads an NMEA 0183 receiver from a serial device and posts one <see cref="Measurements.Gps"/> reading per receiver
/// cycle with a 2D or 3D fix (lat, lon, alt, speed m/s, course, hdop, satellites, mode). Garbage, bad checksums and
/// malformed lines are skipped and counted in <see cref="Statistics"/>. Also publishes the fix's UTC with the
/// monotonic time it arrived at, for the clock discipline (DESIGN §4.2). Its rate is the receiver's (<see cref="IRateFixed"/>).
/// </summary>
public sealed partial class NmeaGpsSource : ReadingSource, IRateFixed, IGpsTimeSource
{
    /// <summary>
    /// Read buffer: at 9600 baud a second carries 960 bytes; 4 KiB holds several cycles, and the reader never leaves
    /// more than <see cref="NmeaSentenceReader.MaxSentenceLength"/> bytes unconsumed, so it can never fill up.
    /// </summary>
    private const int BufferSize = 4096;

    /// <summary>
    /// A receiver sends each cycle as one burst; when the line has been quiet this long the cycle is complete. Shorter
    /// than the 1 s between bursts of a 1 Hz receiver. Without a pause, a cycle ends at its learned last sentence, or,
    /// when the receiver sends untimed sentences (GSA, GSV, VTG) after its last timed one, at the next cycle's first
    /// sentence: one cycle later, so that those sentences stay in their own cycle.
    /// </summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(150);

    private readonly SerialDevice _device;
    private readonly NmeaEpochAssembler _assembler;
    private readonly Lock _gate = new();
    private NmeaTimeFix? _lastFixUtc;

    private readonly IReadOnlyList<string> _initCommands;

    /// <summary>The device stays the caller's: the source never disposes it.</summary>
    /// <param name="name">The source name (the <c>sensor</c> tag of its readings).</param>
    /// <param name="device">The receiver's serial port (9600 baud NMEA on the reference HAT), or a pseudo-terminal in tests.</param>
    /// <param name="initCommands">
    /// Receiver set-up sentences (body only, e.g. <c>PMTK220,1000</c>), sent at every start with their checksum.
    /// </param>
    public NmeaGpsSource(string name, SerialDevice device, IReadOnlyList<string>? initCommands = null)
        : base(name, Measurements.Gps)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _assembler = new NmeaEpochAssembler(Statistics);
        _initCommands = initCommands ?? [];
        foreach (var command in _initCommands) NmeaCommand.Validate(command);
    }

    /// <summary>Sentences, checksum errors, malformed sentences, garbage bytes and fixes since the source was created.</summary>
    public NmeaStatistics Statistics { get; } = new();

    /// <inheritdoc/>
    public string RateRefusal =>
        $"this source posts one reading per fix the receiver sends, and the receiver's update rate is set in its firmware by the \"init\" commands of source '{Name}' in the profile (firmware-config/gps/README.md; e.g. PMTK220,1000 for one fix a second on a MediaTek receiver); change \"init\" and send reload-config";

    /// <summary>The UTC of the latest fix (with a date) and the monotonic timestamp its first sentence arrived at.</summary>
    public NmeaTimeFix? LastFixUtc
    {
        get
        {
            lock (_gate) return _lastFixUtc;
        }
    }

    /// <summary>The latest fix posted.</summary>
    public NmeaFix? LastFix { get; private set; }

    /// <summary>Raised on the reading task for every valid fix that carries a UTC date and time. Keep handlers short.</summary>
    public event Action<NmeaTimeFix>? FixTimeReceived;

    /// <summary>
    /// Raised on the reading task for every completed receiver cycle, with or without a fix (gpsd reports both), with
    /// the sky view; both are valid only during the call. Keep handlers short.
    /// </summary>
    public event NmeaCycleHandler? CycleCompleted;

    /// <summary>Runs until cancelled; a device read returning 0 (gone) ends it with an <see cref="IOException"/>.</summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var command in _initCommands)
            await _device.WriteAsync(NmeaCommand.Frame(command), cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        // A position jump is bad input, not a failure: counted (Statistics.PositionJumps), logged once per jump, and the
        // fix is still published (with no speed derived from it).
        Action<double, double> onJump = (metres, seconds) => LogPositionJump(context.Logger, Name, metres / 1000, seconds);
        _assembler.PositionJump += onJump;
        // Completes the open cycle when the line goes quiet (between bursts); re-armed after every read.
        using var quiet = context.Time.CreateTimer(_ => FlushQuiet(context), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            var filled = 0;
            while (true)
            {
                var read = await _device.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    FlushQuiet(context);
                    throw new IOException(
                        $"GPS device {_device.Path} stopped delivering data (read returned 0: unplugged or closed); check the cable or USB adapter.");
                }
                filled += read;
                int consumed;
                lock (_gate) consumed = Process(context, buffer, filled, context.Time.GetTimestamp());
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                quiet.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            _assembler.PositionJump -= onJump;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = 5240, Level = LogLevel.Warning, Message = "GPS {Name}: the position jumped {Kilometres:0.#} km in {Seconds:0.#} s (faster than any receiver moves): a receiver glitch or a lost fix; published without a derived speed and counted in position_jumps")]
    private static partial void LogPositionJump(ILogger logger, string name, double kilometres, double seconds);

    private void FlushQuiet(SourceContext context)
    {
        lock (_gate)
        {
            if (_assembler.Flush(out var fix)) Publish(context, fix);
        }
    }

    /// <summary>Decodes what is buffered; returns how many bytes were consumed (the rest is an incomplete line).</summary>
    private int Process(SourceContext context, byte[] buffer, int filled, long timestamp)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer, 0, filled));
        while (NmeaSentenceReader.TryRead(ref reader, out var sentence, Statistics))
        {
            if (_assembler.Add(sentence, timestamp, out var fix)) Publish(context, fix);
        }
        return (int)reader.Consumed;
    }

    private void Publish(SourceContext context, in NmeaFix fix)
    {
        CycleCompleted?.Invoke(fix, _assembler.Satellites);
        // Only a valid fix's time is GPS time; a receiver without a fix reports its own RTC's guess (DESIGN §4.2).
        if (!fix.HasFix) return;
        if (fix.UtcTime is { } utc)
        {
            var timeFix = new NmeaTimeFix(utc, fix.MonotonicTimestamp);
            _lastFixUtc = timeFix; // under _gate: Publish runs inside it
            FixTimeReceived?.Invoke(timeFix);
        }
        LastFix = fix;
        // Values the receiver did not send are NaN: an absent altitude (2D fix) or course is unknown, not zero.
        ReadOnlySpan<double> values =
        [
            fix.Latitude!.Value, fix.Longitude!.Value, fix.AltitudeMsl ?? double.NaN, fix.SpeedMetersPerSecond ?? double.NaN,
            fix.CourseDegrees ?? double.NaN, fix.Hdop ?? double.NaN, fix.Satellites ?? 0, fix.Mode,
        ];
        context.Post(fix.MonotonicTimestamp, ReadingValues.From(values));
    }
}

/// <summary>A completed receiver cycle and its sky view, valid only during the call (see <see cref="NmeaGpsSource.CycleCompleted"/>).</summary>
public delegate void NmeaCycleHandler(in NmeaFix fix, ReadOnlySpan<NmeaSatellite> satellites);
