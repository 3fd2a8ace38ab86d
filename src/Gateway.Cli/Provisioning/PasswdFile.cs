using System.Globalization;

namespace Gateway.Cli.Provisioning;

/// <summary>
/// Looks users up in an <c>etc/passwd</c> file (passwd(5): <c>name:password:UID:GID:gecos:home:shell</c>) instead of
/// through NSS, because with <c>--root</c> the users are those of the target image, not of this machine.
/// </summary>
public static class PasswdFile
{
    public static bool TryFind(string passwdPath, string user, out int uid, out int gid)
    {
        uid = gid = -1;
        if (!File.Exists(passwdPath)) return false;
        foreach (var line in File.ReadLines(passwdPath))
        {
            var f = line.Split(':');
            if (f.Length >= 4 && f[0] == user
                && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out uid)
                && int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
                return true;
        }
        uid = gid = -1;
        return false;
    }
}
