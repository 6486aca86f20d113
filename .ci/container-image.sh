#!/usr/bin/env bash
# Builds the project's Linux image with podman, offline from any container registry, and prints its name on the last
# line: a local stand-in for runtime-deps:10.0 (Debian bookworm from debootstrap with the same runtime libraries,
# libgssapi-krb5-2 and the "app" user 1654), then the project's own Dockerfile on top with RUNTIME_BASE pointing at it.
# Used by .ci/run (the image tests read ORCHPREP_TEST_IMAGE); see docs/packaging.md. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="$PWD/.ci/containers.conf"
base=localhost/orchprep-base:bookworm
image=localhost/orchprep:ci

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  apt-get install -y -qq podman runc debootstrap >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq podman runc debootstrap >/dev/null 2>&1; }
fi

if ! podman image exists "$base"; then
  # The Debian mirror this machine's apt already uses (a .sources file's URIs, else sources.list's first deb line).
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || { echo "container-image: no Debian mirror in the apt sources" >&2; exit 1; }
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase --include=libicu72,libssl3,ca-certificates,tzdata,libgssapi-krb5-2 \
    bookworm "$rootfs" "$mirror" >/dev/null
  chroot "$rootfs" useradd --uid 1654 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin app
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
fi

# IL only: the image tests need the binary, not its fastest start (ReadyToRun doubles the publish time).
bash tasks/package.sh --skip-vsix --rid linux-x64 --no-ready-to-run >/dev/null
podman build -q --build-arg RUNTIME_BASE="$base" -t "$image" . >/dev/null
echo "$image"
