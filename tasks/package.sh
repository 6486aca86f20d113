#!/usr/bin/env bash
# Builds what OrchUpgradePrep ships: the self-contained single-file orchprep per platform, and the
# Azure DevOps extension (.vsix) that carries the task. See docs/packaging.md.
#
#   bash tasks/package.sh [--skip-vsix] [--rid win-x64|linux-x64] [--with-linux] [--no-ready-to-run] [--help]
#
# Prerequisites: the .NET 10 SDK, Node.js 20+ with npm (reads the JSON manifests, draws the icon,
# installs tfx-cli into artifacts/tools; nothing is installed globally). Runs from any directory.
#
# Produces (all under artifacts/, which git ignores):
#   artifacts/bin/win-x64/orchprep.exe      self-contained single file (the Dockerfile.windows input)
#   artifacts/bin/linux-x64/orchprep        self-contained single file (the Dockerfile input)
#   artifacts/vsix/OrchUpgradePrep/         the staged task: task.json, *.js, icon.png, bin/<rid>/orchprep(.exe)
#   artifacts/vsix/vss-extension.json       the extension manifest (publisher: replace with your publisher id)
#   artifacts/vsix/images/icon.png          the extension's icon (the task's icon.png again)
#   artifacts/<publisher>.<id>-<version>.vsix
#
# The version comes from task.json (version.Major.Minor.Patch); tasks/azure-pipelines/vss-extension.json
# must carry the same one: agents cache a task by its version, so both are bumped together.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bash tasks/package.sh [options]

Publishes orchprep (self-contained, single file) into artifacts/bin/<rid>/ and builds the
Azure DevOps extension artifacts/<publisher>.<id>-<version>.vsix carrying the task.

Options:
  --skip-vsix     publish the binaries only (no Node launcher, icon or tfx needed)
  --rid RID       publish only RID (win-x64 or linux-x64); the VSIX needs win-x64
  --with-linux    also put bin/linux-x64/orchprep into the task, for Linux agents
  --no-ready-to-run
                  publish IL only (JIT at start): a smaller binary and a VSIX under 50 MB,
                  a slower cold start (docs/packaging.md has both measured)
  -h, --help      this text

The version is task.json's version.Major.Minor.Patch; it must equal the "version" of
tasks/azure-pipelines/vss-extension.json. Replace that file's "publisher" (orchupgradeprep,
a placeholder) with your Marketplace publisher id before publishing.
USAGE
}

fail() {
  echo "package.sh: $*" >&2
  exit 1
}

skip_vsix=0
with_linux=0
ready_to_run=true
only_rid=""
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-vsix) skip_vsix=1 ;;
    --with-linux) with_linux=1 ;;
    --no-ready-to-run) ready_to_run=false ;;
    --rid)
      [ $# -ge 2 ] || fail "--rid needs a value (win-x64 or linux-x64)"
      [ -z "$only_rid" ] || fail "--rid can be given once"
      only_rid="$2"
      shift
      ;;
    --rid=*)
      [ -z "$only_rid" ] || fail "--rid can be given once"
      only_rid="${1#--rid=}"
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      fail "unknown option '$1'"
      ;;
  esac
  shift
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
artifacts="$repo/artifacts"
# The task folder: vss-extension.json's files path and contribution name (a convention test keeps them equal).
task_folder="OrchUpgradePrep"
tfx_version="0.23.1"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null 2>&1 || fail "needs the .NET 10 SDK (dotnet on PATH)"
command -v node >/dev/null 2>&1 || fail "needs Node.js 20+ (node on PATH): it reads task.json and vss-extension.json"

case "$only_rid" in
  "") rids=(win-x64 linux-x64) ;;
  win-x64 | linux-x64) rids=("$only_rid") ;;
  *) fail "--rid '$only_rid': only win-x64 and linux-x64 are packaged" ;;
esac

if [ "$skip_vsix" -eq 0 ]; then
  [[ " ${rids[*]} " == *" win-x64 "* ]] || fail "the VSIX needs win-x64: use --rid win-x64, or add --skip-vsix"
  if [ "$with_linux" -eq 1 ]; then
    [[ " ${rids[*]} " == *" linux-x64 "* ]] || fail "--with-linux needs linux-x64: drop --rid, or drop --with-linux"
  fi
fi

# ---- version: task.json and vss-extension.json agree ---------------------------------------------
extension_manifest="$repo/tasks/azure-pipelines/vss-extension.json"
[ -f "$extension_manifest" ] || fail "missing $extension_manifest"
version="$(node -e '
  const v = require(process.argv[1]).version || {};
  for (const k of ["Major", "Minor", "Patch"]) {
    if (!Number.isInteger(v[k]) || v[k] < 0) { console.error("task.json: version." + k + " must be a whole number"); process.exit(1); }
  }
  console.log(`${v.Major}.${v.Minor}.${v.Patch}`);' "$repo/task.json")" || fail "cannot read the version of task.json"
extension_version="$(node -p 'require(process.argv[1]).version' "$extension_manifest")"
if [ "$version" != "$extension_version" ]; then
  fail "task.json version is $version but tasks/azure-pipelines/vss-extension.json version is $extension_version.
Agents cache a task by its version: bump both together (task.json version.Major/Minor/Patch and the extension's \"version\")."
fi
echo "orchprep $version"

# ---- publish: self-contained single file per rid -------------------------------------------------
# ReadyToRun precompiles the code (cold start); crossgen2 runs on Linux for the win-x64 target too.
# Composite (the SDK's default for single-file ReadyToRun, stated here): the app and the framework
# precompiled as one image; the fastest cold start measured, at the cost of size and minutes of crossgen2.
# Single-file compression is off: it halved the files but made every start slower (docs/packaging.md).
publish() {
  local rid="$1" out="$artifacts/bin/$1"
  rm -rf "$out"
  # A Cli obj/ left by other ReadyToRun settings can yield a binary that aborts at start: publish from a clean one.
  rm -rf "$repo/src/OrchUpgradePrep.Cli/obj/Release/net10.0/$rid"
  echo "==> dotnet publish $rid -> ${out#"$repo"/}"
  dotnet publish "$repo/src/OrchUpgradePrep.Cli/OrchUpgradePrep.Cli.csproj" \
    -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:PublishReadyToRun="$ready_to_run" \
    -p:PublishReadyToRunComposite="$ready_to_run" \
    -p:EnableCompressionInSingleFile=false \
    -p:DebugType=none \
    -p:Version="$version" \
    -o "$out" \
    --nologo -v:q
}

for rid in "${rids[@]}"; do
  publish "$rid"
done

binary_of() {
  case "$1" in
    win-*) echo "$artifacts/bin/$1/orchprep.exe" ;;
    *) echo "$artifacts/bin/$1/orchprep" ;;
  esac
}
host_rid=""
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host_rid=linux-x64 ;;
esac
for rid in "${rids[@]}"; do
  binary="$(binary_of "$rid")"
  [ -f "$binary" ] || fail "dotnet publish produced no $binary"
  # Smoke test where the binary can run here (a stale obj/ from other ReadyToRun settings can yield one that aborts).
  if [ "$rid" = "$host_rid" ]; then
    "$binary" --version >/dev/null || fail "$binary --version failed"
  fi
done

# ---- the extension -------------------------------------------------------------------------------
vsix=""
if [ "$skip_vsix" -eq 0 ]; then
  stage="$artifacts/vsix"
  task_stage="$stage/$task_folder"
  echo "==> staging the task -> ${task_stage#"$repo"/}"
  rm -rf "$stage"
  mkdir -p "$task_stage/bin/win-x64"
  cp "$repo/task.json" "$task_stage/task.json"
  # The launcher (top-level *.js only: tasks/azure-pipelines/test/ stays out).
  shopt -s nullglob
  scripts=("$repo"/tasks/azure-pipelines/*.js)
  shopt -u nullglob
  for script in "${scripts[@]}"; do
    cp "$script" "$task_stage/"
  done
  cp "$(binary_of win-x64)" "$task_stage/bin/win-x64/orchprep.exe"
  if [ "$with_linux" -eq 1 ]; then
    mkdir -p "$task_stage/bin/linux-x64"
    cp "$(binary_of linux-x64)" "$task_stage/bin/linux-x64/orchprep"
    chmod 755 "$task_stage/bin/linux-x64/orchprep"
  fi

  # Every execution handler's target (index.js) must be in the task folder, or agents fail the step.
  missing="$(node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1], task = require(path.join(dir, "task.json"));
    const targets = new Set(Object.values(task.execution || {}).map(h => h.target));
    console.log([...targets].filter(t => !fs.existsSync(path.join(dir, t))).join(" "));' "$task_stage")"
  [ -z "$missing" ] || fail "task.json's execution target(s) $missing not found in tasks/azure-pipelines/ (the Node launcher).
Build the binaries alone with --skip-vsix."

  # A 128x128 solid-colour PNG: the task's and the extension's icon.
  node -e '
    const zlib = require("zlib"), fs = require("fs");
    const size = 128, rgb = [0x1f, 0x5f, 0xa8];
    const raw = Buffer.alloc((size * 3 + 1) * size);
    for (let y = 0; y < size; y++) {
      const row = y * (size * 3 + 1); // filter byte 0, then RGB triples
      for (let x = 0; x < size; x++) { raw.set(rgb, row + 1 + x * 3); }
    }
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) { c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; }
      return c >>> 0;
    });
    const crc = b => { let c = 0xffffffff; for (const x of b) { c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); } return (c ^ 0xffffffff) >>> 0; };
    const chunk = (type, data) => {
      const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
      const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
      return Buffer.concat([len, body, sum]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
    ihdr[8] = 8; ihdr[9] = 2; // 8-bit truecolour
    fs.writeFileSync(process.argv[1], Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0)),
    ]));' "$task_stage/icon.png"

  # The extension's icon sits outside the task folder: tfx drops the icon asset of a file it also packs from "files".
  mkdir -p "$stage/images"
  cp "$task_stage/icon.png" "$stage/images/icon.png"
  cp "$extension_manifest" "$stage/vss-extension.json"

  command -v npm >/dev/null 2>&1 || fail "needs npm to install tfx-cli (or use --skip-vsix)"
  tools="$artifacts/tools"
  tfx="$tools/node_modules/.bin/tfx"
  if [ "$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$tools/node_modules/tfx-cli/package.json")" != "$tfx_version" ]; then
    echo "==> npm install tfx-cli@$tfx_version -> ${tools#"$repo"/}"
    npm install --no-save --no-audit --no-fund --prefix "$tools" "tfx-cli@$tfx_version" >/dev/null
  fi

  vsix_name="$(node -p 'const m = require(process.argv[1]); `${m.publisher}.${m.id}-${m.version}.vsix`' "$stage/vss-extension.json")"
  vsix="$artifacts/$vsix_name"
  rm -f "$vsix"
  echo "==> tfx extension create -> ${vsix#"$repo"/}"
  (cd "$stage" && "$tfx" extension create --manifest-globs vss-extension.json --output-path "$artifacts/" --no-prompt)
  [ -f "$vsix" ] || fail "tfx extension create did not write $vsix"
fi

# ---- summary -------------------------------------------------------------------------------------
echo
printf '%-55s %8s\n' "artifact" "MB"
row() {
  local bytes
  bytes="$(stat -c %s "$1")"
  printf '%-55s %8s\n' "${1#"$repo"/}" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1000000 }')"
}
for rid in "${rids[@]}"; do
  row "$(binary_of "$rid")"
done
[ -z "$vsix" ] || row "$vsix"
echo "(MB = 10^6 bytes; ${SECONDS}s)"
