namespace Gateway.DiskQueue;

/// <summary>
/// The journal can no longer write: its file system refused a write for a reason that freeing space does not cure
/// (remounted read-only after an ext4 error, an I/O error, permission taken away). Every later append throws it too.
/// The agent treats it as fatal: it logs the cause and exits non-zero so that systemd restarts it, and the restart's
/// own journal recovery then either works (a transient fault) or says what to check (exit 73).
/// </summary>
public sealed class JournalFailedException : IOException
{
    /// <summary>The journal failed; <paramref name="message"/> names the file and what to check, <paramref name="inner"/> is the
    /// I/O error.</summary>
    public JournalFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Without a cause (the standard exception constructors, CA1032).</summary>
    public JournalFailedException()
    {
    }

    /// <summary>With a message only (the standard exception constructors, CA1032).</summary>
    public JournalFailedException(string message)
        : base(message)
    {
    }
}
