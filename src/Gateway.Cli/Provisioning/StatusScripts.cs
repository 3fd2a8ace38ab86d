namespace Gateway.Cli.Provisioning;

/// <summary>Read-only scripts for <c>gatewayctl status</c> and <c>gatewayctl logs</c> (POSIX sh, systemd tools when present).</summary>
public static class StatusScripts
{
    /// <summary>key=value lines: service state, uptime, restarts, clock sync, disk, and the agent's status.json.</summary>
    public const string Status = """
        U=gateway-agent.service
        if [ -d /run/systemd/system ]; then
          echo systemd=running
          systemctl show -p ActiveState -p SubState -p ActiveEnterTimestamp -p NRestarts -p Result $U
          echo "NTPSynchronized=$(timedatectl show -p NTPSynchronized --value 2>/dev/null)"
        else
          echo systemd=none
        fi
        echo "now=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        d=/var/lib/gateway; [ -d $d ] || d=/
        echo "disk=$(df -Pk $d | awk 'NR==2{print $4" "$2}')"
        [ -f /run/gateway-agent/status.json ] && echo "agent=$(cat /run/gateway-agent/status.json)"
        exit 0
        """;

    /// <summary>$1 lines, $2 "1" to follow.</summary>
    public const string Logs = """
        if ! command -v journalctl >/dev/null 2>&1 || [ ! -d /run/systemd/system ]; then
          echo "this target has no running systemd journal; the agent logs to its console there" >&2; exit 4
        fi
        if [ "$2" = 1 ]; then exec journalctl -u gateway-agent.service -n "$1" -f --no-pager -o short-iso; fi
        exec journalctl -u gateway-agent.service -n "$1" --no-pager -o short-iso
        """;
}
