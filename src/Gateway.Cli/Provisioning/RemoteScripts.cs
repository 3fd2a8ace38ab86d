namespace Gateway.Cli.Provisioning;

/// <summary>
/// The POSIX sh scripts provisioning runs on the target (Debian / Raspberry Pi OS base tools only: coreutils, tar,
/// shadow's useradd/groupadd with <c>--prefix</c> for image roots). $1 is always the target root. They print
/// <c>key=value</c> lines or progress lines; every decision is made on the laptop, where it is unit-tested.
/// </summary>
public static class RemoteScripts
{
    /// <summary>Facts about the target and the state of every managed file: $1 root, $2.. managed paths (files or directories).</summary>
    public const string Probe = """
        set -u
        ROOT=$1; shift
        echo "os=$(. "$ROOT/etc/os-release" 2>/dev/null; echo "${PRETTY_NAME:-unknown}")"
        echo "arch=$(uname -m)"
        d=$ROOT; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
        echo "disk_free_kb=$(df -Pk "$d" | awk 'NR==2{print $4}')"
        rt=
        for x in "$ROOT/usr/share/dotnet" "$ROOT/usr/lib/dotnet" "$ROOT/opt/dotnet"; do
          [ -d "$x/shared/Microsoft.NETCore.App" ] && rt="$rt $(ls "$x/shared/Microsoft.NETCore.App" | tr '\n' ' ')"
        done
        echo "dotnet_runtimes=$rt"
        if [ "$ROOT" = / ] && [ -d /run/systemd/system ]; then echo systemd=running; else echo systemd=none; fi
        echo "gateway_ids=$(awk -F: '$1=="gateway"{print $3" "$4}' "$ROOT/etc/passwd" 2>/dev/null)"
        [ -f "$ROOT/etc/passwd" ] && echo passwd=yes
        # TargetLayout.LegacyDirs: gateway-agent 0.1's journal and keys.
        l=; for d in /var/lib/gateway-agent /etc/gateway-agent/tls; do [ -d "$ROOT$d" ] && l="$l $d"; done; echo "legacy_dirs=${l# }"
        for f in /boot/firmware/config.txt /boot/config.txt; do
          if [ -f "$ROOT$f" ]; then
            echo "boot_config=$f"; echo "boot_config_b64=$(base64 -w0 < "$ROOT$f")"
            c=$(dirname "$f")/cmdline.txt
            [ -f "$ROOT$c" ] && echo "cmdline=$c" && echo "cmdline_b64=$(base64 -w0 < "$ROOT$c")"
            break
          fi
        done
        for p in "$@"; do
          if [ -d "$ROOT$p" ]; then
            find "$ROOT$p" -type f | while IFS= read -r f; do
              echo "file=$(stat -c '%a %u %g' "$f") $(sha256sum < "$f" | cut -d' ' -f1) ${f#"$ROOT"}"
            done
          elif [ -f "$ROOT$p" ]; then
            echo "file=$(stat -c '%a %u %g' "$ROOT$p") $(sha256sum < "$ROOT$p" | cut -d' ' -f1) $p"
          elif [ -L "$ROOT$p" ]; then
            echo "link=$(readlink "$ROOT$p") $p"
          fi
        done
        """;

    /// <summary>
    /// Creates the user and groups, then applies MANIFEST from the tar on stdin: $1 root, $2 backup stamp. Manifest
    /// lines are <c>kind mode owner index path</c> (kind file|boot|delete|link|dir|package; owner root|gateway|root:gateway).
    /// A package is installed with dpkg (into an image root with --root and its DPKG_ROOT-aware maintainer scripts run
    /// outside a chroot, as they would not run under an x86-64 laptop's chroot); its conffiles are never replaced
    /// (--force-confold). If dpkg fails, dpkg has put the previous version back and the script stops before any file.
    /// </summary>
    public const string Apply = """
        set -eu
        ROOT=$1; STAMP=$2
        PATH="$PATH:/usr/sbin:/sbin"
        P=; [ "$ROOT" = / ] || P="--prefix $ROOT"
        for g in dialout i2c spi gpio; do
          grep -q "^$g:" "$ROOT/etc/group" || { groupadd $P --system "$g"; echo "created group $g"; }
        done
        if ! grep -q '^gateway:' "$ROOT/etc/passwd"; then
          useradd $P --system --user-group --home-dir /var/lib/gateway --no-create-home --shell /usr/sbin/nologin \
            --groups dialout,i2c,spi,gpio gateway
          echo "created user gateway (system, no login, groups dialout i2c spi gpio)"
        else
          for g in dialout i2c spi gpio; do
            grep -q "^$g:[^:]*:[^:]*:\(.*,\)\{0,1\}gateway\(,.*\)\{0,1\}$" "$ROOT/etc/group" || { usermod $P -a -G "$g" gateway; echo "added user gateway to group $g"; }
          done
        fi
        U=$(awk -F: '$1=="gateway"{print $3}' "$ROOT/etc/passwd"); G=$(awk -F: '$1=="gateway"{print $4}' "$ROOT/etc/passwd")
        S=$(mktemp -d); trap 'rm -rf "$S"' EXIT
        tar -x -C "$S"
        while read -r kind mode owner idx path; do
          t="$ROOT$path"
          case $owner in root) o=0:0 ;; gateway) o=$U:$G ;; *) o=0:$G ;; esac
          case $kind in
            dir) mkdir -p "$t"; chown "$o" "$t"; chmod "$mode" "$t" ;;
            file|boot)
              mkdir -p "$(dirname "$t")"
              if [ "$kind" = boot ] && [ -f "$t" ]; then cp -p "$t" "$t.gatewayctl-$STAMP"; echo "backed up $path as $path.gatewayctl-$STAMP"; fi
              cp "$S/f/$idx" "$t.gatewayctl-new"
              # The boot partition is FAT: owners and modes do not exist there.
              chown "$o" "$t.gatewayctl-new" 2>/dev/null || [ "$kind" = boot ]
              chmod "$mode" "$t.gatewayctl-new" 2>/dev/null || [ "$kind" = boot ]
              mv -f "$t.gatewayctl-new" "$t"
              echo "wrote $path" ;;
            package)
              mkdir -p "$(dirname "$t")"
              cp "$S/f/$idx" "$t.gatewayctl-new"
              D=dpkg; Q=dpkg-query; [ "$ROOT" = / ] || { D="dpkg --root $ROOT --force-script-chrootless"; Q="dpkg-query --root $ROOT"; }
              if ! out=$($D --force-confold --force-confdef --install "$t.gatewayctl-new" 2>&1); then
                rm -f "$t.gatewayctl-new"
                echo "$out" | tail -n 5 >&2
                # dpkg undoes a failed unpack (a full disk, a bad archive) but not a failed postinst: say which happened.
                st=$($Q -W -f='${db:Status-Abbrev}${Version}' gateway-agent 2>/dev/null || true)
                case $st in
                  ii*) echo "dpkg could not install the package (above); dpkg put back gateway-agent ${st#ii }, which is unchanged and still runs" >&2 ;;
                  i[FU]*) echo "dpkg unpacked gateway-agent ${st#???} but its configuration failed (above): fix that cause and run provision again (or dpkg --configure -a on the gateway); an agent that was running keeps running until it is restarted" >&2 ;;
                  ?H*) echo "dpkg could not finish unpacking gateway-agent (above) and left it half-installed: free what the cause needs (disk space) and run provision again" >&2 ;;
                  *) echo "dpkg could not install the package (above); gateway-agent was not installed before, nothing runs yet: fix that cause and run provision again" >&2 ;;
                esac
                exit 5
              fi
              mv -f "$t.gatewayctl-new" "$t"
              echo "installed $(dpkg-deb -f "$t" Package) $(dpkg-deb -f "$t" Version) ($(dpkg-deb -f "$t" Architecture)) with dpkg" ;;
            delete) rm -f "$t"; echo "removed $path" ;;
            link) mkdir -p "$(dirname "$t")"; ln -sfn "$idx" "$t"; echo "linked $path -> $idx" ;;
          esac
        done < "$S/MANIFEST"
        """;

    /// <summary>systemd targets only: $1 "1" when anything changed; $2 seconds to wait for the birth message.</summary>
    public const string Start = """
        set -u
        CHANGED=$1; WAIT=$2; U=gateway-agent.service
        systemctl daemon-reload
        # The chrony refclocks (firmware-config/chrony) take effect at chronyd's start; try-restart leaves a stopped one alone.
        if [ "$CHANGED" = 1 ] && [ -f /etc/chrony/conf.d/gateway-gps.conf ]; then systemctl try-restart chrony.service || true; fi
        if [ "$CHANGED" = 1 ] || ! systemctl is-active --quiet $U; then
          since=$(date +%s)
          echo "starting $U"
          systemctl restart $U || true
        else
          since=$(date -d "$(systemctl show -p ActiveEnterTimestamp --value $U)" +%s 2>/dev/null || echo 0)
          echo "$U already running and unchanged"
        fi
        i=0
        while [ $i -lt "$WAIT" ]; do
          if journalctl -u $U --since "@$since" -o cat --no-pager 2>/dev/null | grep -q 'birth published'; then echo "birth=yes"; exit 0; fi
          if systemctl is-failed --quiet $U; then break; fi
          sleep 1; i=$((i+1))
        done
        echo "birth=no"
        systemctl status --no-pager -l $U 2>&1 | head -n 20
        journalctl -u $U -n 30 --no-pager 2>&1
        exit 3
        """;
}
