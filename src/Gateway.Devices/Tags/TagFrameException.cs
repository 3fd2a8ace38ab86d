namespace Gateway.Devices.Tags;

/// <summary>Why a radio packet is not a usable tag frame.</summary>
public enum TagFrameError
{
    /// <summary>The version byte is not 0x01.</summary>
    UnknownVersion,

    /// <summary>The packet is shorter or longer than its flags say (16 bytes, or 24 with a position).</summary>
    WrongLength,

    /// <summary>The MIC does not match the tag's key: corrupted, forged, or the wrong key.</summary>
    BadMic,

    /// <summary>A latitude or longitude outside ±90° / ±180°.</summary>
    BadPosition,
}

/// <summary>A malformed tag frame (the parser contract's protocol exception, STYLE.md habit 5).</summary>
public sealed class TagFrameException : Exception
{
    /// <summary>Carries the <paramref name="error"/> class for counters, and a message that names the bad byte or length.</summary>
    internal TagFrameException(TagFrameError error, string message) : base(message) => Error = error;

    /// <summary>Which check failed, so a caller can tell the classes apart (version, length, MIC, position) without parsing the message.</summary>
    public TagFrameError Error { get; }
}
