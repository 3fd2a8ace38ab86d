using System.Diagnostics;
using System.Text;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// mosquitto_pub and mosquitto_sub (Debian's mosquitto-clients, libmosquitto) as independent MQTT 5 peers with TLS
/// client certificates. <c>-d</c> makes them print the packets they receive, so a test can read reason codes
/// (e.g. <c>received PUBACK (Mid: 1, RC:135)</c>: 0x87 Not authorized, MQTT 5.0 §3.4.2.1).
/// </summary>
public sealed class MosquittoClients(int port, string caFile)
{
    public Task<(int Code, string Output)> PublishAsync(string certName, string certDir, string topic, string message, params string[] extra) =>
        RunAsync("mosquitto_pub", [.. Tls(certName, certDir), "-d", "-q", "1", "-t", topic, "-m", message, .. extra], TimeSpan.FromSeconds(20));

    /// <summary>Starts mosquitto_sub; it prints <c>topic payload</c> per message and exits after <paramref name="count"/> messages.</summary>
    public Process StartSubscriber(string certName, string certDir, string filter, int count, StringBuilder output)
    {
        // stdbuf: mosquitto_sub writes with stdio, fully buffered into a pipe; the test must see SUBACK as it happens.
        var process = Start("stdbuf", ["-oL", "mosquitto_sub", .. Tls(certName, certDir), "-d", "-v", "-q", "1", "-t", filter, "-C", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-W", "20"], output);
        return process;
    }

    /// <summary>
    /// <see cref="StartSubscriber"/>, returned once the broker acknowledged the subscription (SUBACK), so that what the
    /// test publishes next cannot arrive before the subscriber exists.
    /// </summary>
    public async Task<Process> SubscribedAsync(string certName, string certDir, string filter, int count, StringBuilder output)
    {
        var process = StartSubscriber(certName, certDir, filter, count, output);
        try
        {
            await WaitForAsync(output, "received SUBACK", TimeSpan.FromSeconds(15));
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the broker accepted the publish: PUBACK reason 0 (Success) or 16 (No matching subscribers), both
    /// success codes in MQTT 5.0 §3.4.2.1.
    /// </summary>
    public static bool Accepted(string output) =>
        output.Contains("received PUBACK (Mid: 1, RC:0)", StringComparison.Ordinal) || output.Contains("received PUBACK (Mid: 1, RC:16)", StringComparison.Ordinal);

    public static async Task WaitForAsync(StringBuilder output, string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!Snapshot(output).Contains(text, StringComparison.Ordinal))
        {
            if (watch.Elapsed > timeout) throw new TimeoutException($"'{text}' did not appear in {timeout.TotalSeconds:0}s; output:\n{Snapshot(output)}");
            await Task.Delay(50);
        }
    }

    public static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    public IEnumerable<string> Tls(string certName, string certDir) =>
        ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "--cafile", caFile,
         "--cert", Path.Combine(certDir, certName + ".crt"), "--key", Path.Combine(certDir, certName + ".key"), "-i", $"{certName}-{Guid.NewGuid():N}"[..20]];

    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? stdin = null)
    {
        var output = new StringBuilder();
        using var process = Start(file, args, output, redirectInput: stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {timeout.TotalSeconds:0}s; output:\n{Snapshot(output)}");
        }
        process.WaitForExit();
        return (process.ExitCode, Snapshot(output));
    }

    private static Process Start(string file, IEnumerable<string> args, StringBuilder output, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
