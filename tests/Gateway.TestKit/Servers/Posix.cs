using System.Runtime.InteropServices;

namespace Gateway.TestKit.Servers;

/// <summary>The one libc call tests need that .NET does not expose: sending SIGHUP/SIGTERM/SIGSTOP/SIGCONT to a process.</summary>
public static partial class Posix
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    public static void SendSignal(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
