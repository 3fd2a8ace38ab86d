namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// <c>gateway-ingest hash-password [--iterations N]</c>: reads a password from stdin (hidden when typed at a
/// terminal) and prints the hash to paste into <c>dashboard.accounts[].passwordHash</c>, and on stderr how an account
/// with its role looks. Never takes the password as
/// an argument: arguments are visible to every user in <c>ps</c> and land in shell history.
/// </summary>
public static class HashPasswordCommand
{
    public const int MinLength = 8;

    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var iterations = PasswordHash.DefaultIterations;
        if (args is ["--iterations", var n] && int.TryParse(n, out var parsed) && parsed >= PasswordHash.MinIterations) iterations = parsed;
        else if (args.Length > 0)
        {
            error.WriteLine($"usage: gateway-ingest hash-password [--iterations N (at least {PasswordHash.MinIterations})]  (the password is read from stdin)");
            return IngestHost.ExitUsage;
        }
        var password = Console.IsInputRedirected || input != Console.In ? input.ReadLine() : ReadHidden(error);
        if (password is null || password.Length < MinLength)
        {
            error.WriteLine($"gateway-ingest hash-password: the password must be at least {MinLength} characters");
            return 1;
        }
        output.WriteLine(PasswordHash.Create(password, iterations));
        // The hint goes to stderr so that `hash=$(gateway-ingest hash-password)` captures the hash alone.
        error.WriteLine("Paste it into dashboard.accounts: { \"user\": \"NAME\", \"role\": \"viewer|operator|admin\", \"passwordHash\": \"<the line above>\" }");
        error.WriteLine("  viewer reads; operator also acknowledges alerts, edits the asset registry, retires gateways (the default); admin also manages the accounts (on the page).");
        return 0;
    }

    private static string ReadHidden(TextWriter prompt)
    {
        prompt.Write("Password: ");
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (chars.Length > 0) chars.Length--; }
            else if (!char.IsControl(key.KeyChar)) chars.Append(key.KeyChar);
        }
        prompt.WriteLine();
        return chars.ToString();
    }
}
