namespace Gateway.DiskQueue;

/// <summary>
/// The journal can no longer write: its file system refused a write for a reason that freeing space does not cure
/// (remounted read-only after an ext4 error, an I/O error, permission taken away). Every later append throws it too.
/// The agent treats it as fatal: it logs the cause and exits non-zero so that systemd restarts it, and the restart's
/// own journal recovery then either works (a transient fault) or says what to check (exit 73).
/// </summary>
public sealed class JournalFailedException : IOException
{
    public JournalFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public JournalFailedException()
    {
    }

    public JournalFailedException(string message)
        : base(message)
    {
    }
}
