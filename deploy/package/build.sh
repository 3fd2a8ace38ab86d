#!/usr/bin/env bash
# Debian packages with dpkg-deb only (no other packaging framework):
#   gateway-agent_{version}_{amd64,arm64}.deb   the agent (native AOT), its systemd unit, firmware-config
#   gatewayctl_{version}_{amd64,arm64}.deb      the engineers' tool (native AOT)
#   gateway-ingest_{version}_amd64.deb          the central service (ASP.NET Core, self-contained JIT: see README)
#
#   deploy/package/build.sh [--out DIR] [--arch amd64|arm64]... [--package NAME]... [--jit|--from-build] [--lintian]
#
# Defaults: every package for both architectures (the ingest for amd64 only) into artifacts/packages. --jit publishes
# a self-contained JIT build instead of native AOT (faster to build; what CI used before AOT). --from-build packages the
# Release build already in src/*/bin/Release/net10.0 instead of publishing (framework-dependent: it needs the .NET
# runtime, so it is for the tests, which have just built the solution and check the packaging in seconds; the host's
# architecture only). --lintian checks every
# package it built and fails on any lintian error. A package whose inputs have not changed since the last build in the
# same --out is not built again (the tests build once per run and share the result).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
HERE="$ROOT/deploy/package"

OUT="$ROOT/artifacts/packages"
ARCHES=() PACKAGES=() MODE=aot LINTIAN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$(realpath -m "$2"); shift 2 ;;
    --arch) ARCHES+=("$2"); shift 2 ;;
    --package) PACKAGES+=("$2"); shift 2 ;;
    --jit) MODE=jit; shift ;;
    --from-build) MODE=build; shift ;;
    --lintian) LINTIAN=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
[ ${#ARCHES[@]} -eq 0 ] && ARCHES=(amd64 arm64)
[ ${#PACKAGES[@]} -eq 0 ] && PACKAGES=(gateway-agent gatewayctl gateway-ingest)

VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
[ -n "$VERSION" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

rid_of() { case "$1" in amd64) echo linux-x64 ;; arm64) echo linux-arm64 ;; *) echo "unknown architecture '$1' (amd64 or arm64)" >&2; return 1 ;; esac; }

# inputs_hash PACKAGE ARCH: what a package is built from (sources, this script, mode); equal hash = same package.
inputs_hash() {
  {
    echo "$1 $2 $MODE $VERSION"
    git ls-files -s src deploy/package deploy/systemd deploy/central firmware-config Directory.Build.props Directory.Packages.props
    git diff HEAD -- src deploy/package deploy/systemd deploy/central firmware-config Directory.Build.props Directory.Packages.props
  } | sha256sum | cut -c1-16
}

# publish PROJECT RID MODE DIR: dotnet publish into DIR, reusing the last publish of the same sources (kept under
# $OUT/.publish), so that a change to the packaging alone does not recompile minutes of native code.
publish() {
  local project=$1 rid=$2 mode=$3 dir=$4
  [ "$mode" = build ] && { publish_now "$project" "$rid" "$mode" "$dir"; return; }
  local key
  key=$( { echo "$project $rid $mode"; git ls-files -s src Directory.Build.props Directory.Packages.props; git diff HEAD -- src Directory.Build.props Directory.Packages.props; } | sha256sum | cut -c1-16)
  local cache="$OUT/.publish/$(basename "$project")-$rid-$mode"
  if [ -f "$cache/.key" ] && [ "$(cat "$cache/.key")" = "$key" ]; then
    mkdir -p "$dir" && cp -a "$cache/." "$dir/" && rm -f "$dir/.key"
    return 0
  fi
  publish_now "$project" "$rid" "$mode" "$dir"
  rm -rf "$cache" && mkdir -p "$cache" && cp -a "$dir/." "$cache/" && echo "$key" > "$cache/.key"
}

publish_now() { # publish_now PROJECT RID MODE DIR
  local project=$1 rid=$2 mode=$3 dir=$4
  if [ "$mode" = build ]; then
    local built="$project/bin/Release/net10.0"
    [ "$rid" = "$(case $(uname -m) in x86_64) echo linux-x64 ;; aarch64) echo linux-arm64 ;; esac)" ] || { echo "--from-build packages this machine's build only ($rid asked)" >&2; return 1; }
    [ -f "$built/$(program_of "$project").dll" ] || { echo "no Release build in $built: dotnet build Gateway.sln -c Release" >&2; return 1; }
    mkdir -p "$dir" && cp -a "$built/." "$dir/"
    # bin/Release/net10.0/linux-x64 and the like are a publish's per-runtime builds, not part of this build.
    find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'linux-*' -exec rm -rf {} +
    rm -f "$dir"/*.pdb
    # A build without a runtime identifier carries native libraries for every platform; this machine's are enough.
    [ -d "$dir/runtimes" ] && find "$dir/runtimes" -mindepth 1 -maxdepth 1 ! -name "$rid" -exec rm -rf {} +
    return 0
  fi
  local args=(-c Release -r "$rid" -o "$dir" -nologo -v quiet -clp:ErrorsOnly)
  if [ "$mode" = aot ]; then args+=(-p:PublishAot=true -p:StripSymbols=true)
  else args+=(-p:PublishAot=false --self-contained -p:PublishReadyToRun=false); fi
  dotnet publish "$project" "${args[@]}" >&2
  rm -f "$dir"/*.dbg "$dir"/*.pdb
  # A native AOT program is the one file; gatewayctl's publish also copies the referenced agent's runtimeconfig.
  [ "$mode" = aot ] && find "$dir" -type f ! -name "$(program_of "$project")" -delete
  return 0
}

program_of() { basename "$1" | sed 's/Gateway.Agent/gateway-agent/; s/Gateway.Cli/gatewayctl/; s/Gateway.Ingest/gateway-ingest/'; }

# runtime_depends PACKAGE: what a --from-build (framework-dependent) package needs besides its libraries.
runtime_depends() {
  [ "$MODE" = build ] || return 0
  if [ "$1" = gateway-ingest ]; then echo ", aspnetcore-runtime-10.0"; else echo ", dotnet-runtime-10.0"; fi
}

# install_program PACKAGE NAME PUBLISHED STAGE: a lone native binary goes to /usr/bin; a JIT publish (many files)
# to /usr/lib/PACKAGE with a /usr/bin symlink.
install_program() {
  local package=$1 name=$2 published=$3 stage=$4
  mkdir -p "$stage/usr/bin"
  if [ "$(find "$published" -type f | wc -l)" -eq 1 ]; then
    install -m 0755 "$published/$name" "$stage/usr/bin/$name"
  else
    mkdir -p "$stage/usr/lib/$package"
    cp -a "$published/." "$stage/usr/lib/$package/"
    find "$stage/usr/lib/$package" -type f -exec chmod 0644 {} +
    # NuGet's native libraries (SQLite's) come with symbols; Debian policy §10.1 wants shipped objects stripped.
    find "$stage/usr/lib/$package" -type f -name '*.so' -exec llvm-strip --strip-unneeded {} +
    chmod 0755 "$stage/usr/lib/$package/$name"
    ln -s "../lib/$package/$name" "$stage/usr/bin/$name"
  fi
}

docs() { # docs PACKAGE STAGE: copyright and changelog, as Debian policy §12.5/§12.7 and lintian expect
  local package=$1 stage=$2 doc="$2/usr/share/doc/$1"
  mkdir -p "$doc"
  install -m 0644 "$HERE/copyright" "$doc/copyright"
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from the gateway repository (deploy/package/build.sh).\n\n -- Gateway maintainers <maintainers@gateway.invalid>  %s\n' \
    "$package" "$VERSION" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}")" | gzip -9n > "$doc/changelog.gz"
  chmod 0644 "$doc/changelog.gz"
}

control() { # control PACKAGE ARCH STAGE DEPENDS DESCRIPTION...
  local package=$1 arch=$2 stage=$3 depends=$4
  shift 4
  mkdir -p "$stage/DEBIAN"
  {
    echo "Package: $package"
    echo "Version: $VERSION"
    echo "Architecture: $arch"
    echo "Maintainer: Gateway maintainers <maintainers@gateway.invalid>"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
    echo "Depends: $depends"
    echo "Section: net"
    echo "Priority: optional"
    echo "Homepage: https://gateway.invalid/"
    printf 'Description: %s\n' "$1"
    shift
    local line
    for line in "$@"; do printf ' %s\n' "$line"; done
  } > "$stage/DEBIAN/control"
}

maintainer_scripts() { # maintainer_scripts PACKAGE STAGE: DEBIAN/{preinst,postinst,prerm,postrm} from deploy/package/PACKAGE/
  local package=$1 stage=$2 script
  for script in preinst postinst prerm postrm; do
    [ -f "$HERE/$package/$script" ] && install -m 0755 "$HERE/$package/$script" "$stage/DEBIAN/$script"
  done
  return 0
}

build_agent() { # build_agent ARCH STAGE
  local arch=$1 stage=$2 pub="$WORK/pub-agent-$1"
  publish src/Gateway.Agent "$(rid_of "$arch")" "$MODE" "$pub"
  install_program gateway-agent gateway-agent "$pub" "$stage"
  local exec=/usr/bin/gateway-agent
  mkdir -p "$stage/lib/systemd/system" "$stage/etc/gateway" "$stage/usr/share/gateway-agent"
  # The unit provisioning writes for the reference profile, pointing at the packaged binary. Provisioning writes its own
  # per-profile unit to /etc/systemd/system, which takes precedence over this one (systemd.unit(5) search path).
  sed -e "s:^ExecStart=[^ ]*gateway-agent :ExecStart=$exec :" \
    -e 's:^# Generated by .*:# Installed by the gateway-agent package; `gatewayctl provision` writes a per-profile copy to /etc/systemd/system.:' \
    deploy/systemd/gateway-agent.service > "$stage/lib/systemd/system/gateway-agent.service"
  chmod 0644 "$stage/lib/systemd/system/gateway-agent.service"
  # The reference profile as the starting point; a conffile, so an upgrade never replaces the gateway's own.
  install -m 0644 firmware-config/profiles/reference-pi.json "$stage/etc/gateway/profile.json"
  echo /etc/gateway/profile.json > "$stage/DEBIAN/conffiles"
  # firmware-config ships with the agent, so `gatewayctl config validate` and provisioning work away from the repository.
  cp -r firmware-config "$stage/usr/share/gateway-agent/firmware-config"
  find "$stage/usr/share/gateway-agent" -type d -exec chmod 0755 {} + && find "$stage/usr/share/gateway-agent" -type f -exec chmod 0644 {} +
  docs gateway-agent "$stage"
  maintainer_scripts gateway-agent "$stage"
  control gateway-agent "$arch" "$stage" "libc6 (>= 2.36), libssl3, passwd$(runtime_depends gateway-agent)" \
    "field telemetry gateway agent (GPS, LoRa, sensors to MQTT)" \
    "Reads GPS, LoRa asset tags and sensors on a Raspberry Pi, keeps every" \
    "reading in a durable on-disk journal and publishes it over MQTT with TLS" \
    "to the central broker. Configure /etc/gateway/profile.json, or run" \
    "gatewayctl provision from an engineer's laptop."
}

build_ctl() { # build_ctl ARCH STAGE
  local arch=$1 stage=$2 pub="$WORK/pub-ctl-$1"
  publish src/Gateway.Cli "$(rid_of "$arch")" "$MODE" "$pub"
  install_program gatewayctl gatewayctl "$pub" "$stage"
  docs gatewayctl "$stage"
  control gatewayctl "$arch" "$stage" "libc6 (>= 2.36), libssl3, openssh-client$(runtime_depends gatewayctl)" \
    "engineers' tool for field telemetry gateways" \
    "Validates gateway profiles, runs the fleet CA, provisions gateways over" \
    "SSH from the gateway-agent package and diagnoses them."
}

build_ingest() { # build_ingest ARCH STAGE
  local arch=$1 stage=$2 pub="$WORK/pub-ingest-$1"
  # ASP.NET Core as JIT: the reasons native AOT is not used for the ingest are in docs/engineers.md (Packages).
  local mode=jit; [ "$MODE" = build ] && mode=build
  publish src/Gateway.Ingest "$(rid_of "$arch")" "$mode" "$pub"
  install_program gateway-ingest gateway-ingest "$pub" "$stage"
  mkdir -p "$stage/lib/systemd/system" "$stage/etc/gateway-ingest"
  sed -e 's:^ExecStart=[^ ]*gateway-ingest :ExecStart=/usr/bin/gateway-ingest :' \
    -e '1i # Installed by the gateway-ingest package: the program in /usr/lib/gateway-ingest, /usr/bin/gateway-ingest.' \
    deploy/systemd/gateway-ingest.service > "$stage/lib/systemd/system/gateway-ingest.service"
  chmod 0644 "$stage/lib/systemd/system/gateway-ingest.service"
  install -m 0644 deploy/central/central.json "$stage/etc/gateway-ingest/central.json"
  echo /etc/gateway-ingest/central.json > "$stage/DEBIAN/conffiles"
  docs gateway-ingest "$stage"
  maintainer_scripts gateway-ingest "$stage"
  control gateway-ingest "$arch" "$stage" "adduser, libc6 (>= 2.36), libssl3, libstdc++6, zlib1g$(runtime_depends gateway-ingest)" \
    "central ingest for field telemetry gateways (MQTT to InfluxDB)" \
    "Subscribes to the fleet's telemetry on the central MQTT broker, writes it" \
    "to InfluxDB, raises alerts and serves the logistics dashboard." \
    "Configure /etc/gateway-ingest/central.json."
}

built=()
for package in "${PACKAGES[@]}"; do
  for arch in "${ARCHES[@]}"; do
    [ "$package" = gateway-ingest ] && [ "$arch" != amd64 ] && continue
    deb="$OUT/${package}_${VERSION}_${arch}.deb"
    stamp="$OUT/.${package}_${arch}.inputs"
    hash=$(inputs_hash "$package" "$arch")
    if [ -f "$deb" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
      echo "$deb: up to date" >&2
      built+=("$deb"); continue
    fi
    start=$(date +%s)
    stage="$WORK/$package-$arch"
    rm -rf "$stage"
    mkdir -p "$stage/DEBIAN"
    case "$package" in
      gateway-agent) build_agent "$arch" "$stage" ;;
      gatewayctl) build_ctl "$arch" "$stage" ;;
      gateway-ingest) build_ingest "$arch" "$stage" ;;
      *) echo "unknown package '$package' (gateway-agent, gatewayctl, gateway-ingest)" >&2; exit 64 ;;
    esac
    dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
    echo "$hash" > "$stamp"
    label=$MODE; [ "$package" = gateway-ingest ] && [ "$MODE" = aot ] && label=jit
    echo "$deb: built ($label, $(($(stat -c %s "$deb") / 1024)) KiB, $(($(date +%s) - start)) s)" >&2
    built+=("$deb")
  done
done

if [ "$LINTIAN" = 1 ]; then
  # Errors fail the build; warnings are printed. The overrides file says why each suppressed tag does not apply.
  if ! lintian --fail-on error --suppress-tags-from-file "$HERE/lintian-overrides" "${built[@]}"; then
    echo "lintian found errors in the packages above" >&2
    exit 1
  fi
fi
printf '%s\n' "${built[@]}"
