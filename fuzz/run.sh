#!/usr/bin/env bash
# Fuzz the hostile-input parsers (docs/fuzzing.md).
#   fuzz/run.sh <target|all> [seconds per target]
# Targets: config reg atom tds github-webhook azdo-headers.
# Mode (ORCHPREP_FUZZ_MODE=auto|afl|loop, default auto): AFL++ with SharpFuzz-instrumented assemblies when afl-fuzz
# and the sharpfuzz tool can be had (afl++ is unpacked from Debian's package without root, the tool comes from NuGet),
# otherwise the built-in mutation loop. CI (CI=true) always uses the loop, with a fixed seed unless ORCHPREP_FUZZ_SEED is set.
# Prints one line per target, "fuzz-result <target> passed|failed", and exits non-zero when any target has a finding.
# Findings (the input and what happened) are saved to fuzz/findings/.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

what=${1:-all}
seconds=${2:-60}
mode=${ORCHPREP_FUZZ_MODE:-auto}
[ "${CI:-}" = "true" ] && mode=loop
if [ "${CI:-}" = "true" ]; then seed=${ORCHPREP_FUZZ_SEED:-20260901}; else seed=${ORCHPREP_FUZZ_SEED:-$RANDOM$RANDOM}; fi
findings="$root/fuzz/findings"
tools="$root/fuzz/.tools"
work="$root/fuzz/.work"

project=fuzz/OrchUpgradePrep.Fuzz/OrchUpgradePrep.Fuzz.csproj
out="$work/bin"
if ! dotnet build "$project" -c Release -o "$out" --nologo -v quiet >"$work.build.log" 2>&1; then
  cat "$work.build.log" >&2
  echo "fuzz: the fuzz project does not build" >&2
  echo "fuzz-result build failed"
  exit 1
fi
fuzzer=("dotnet" "$out/OrchUpgradePrep.Fuzz.dll")

mapfile -t all_targets < <("${fuzzer[@]}" list)
if [ "$what" = "all" ]; then targets=("${all_targets[@]}"); else targets=("$what"); fi

# AFL++: afl-fuzz on PATH, or unpacked from Debian's package into fuzz/.tools (no root needed).
find_afl() {
  command -v afl-fuzz 2>/dev/null && return 0
  [ -x "$tools/afl/usr/bin/afl-fuzz" ] && { echo "$tools/afl/usr/bin/afl-fuzz"; return 0; }
  command -v apt-get >/dev/null 2>&1 || return 1
  local debs; debs=$(mktemp -d)
  (cd "$debs" && apt-get download afl++ >/dev/null 2>&1) || { rm -rf "$debs"; return 1; }
  mkdir -p "$tools/afl"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$tools/afl"; done
  rm -rf "$debs"
  [ -x "$tools/afl/usr/bin/afl-fuzz" ] && echo "$tools/afl/usr/bin/afl-fuzz"
}
find_sharpfuzz() {
  command -v sharpfuzz 2>/dev/null && return 0
  [ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null 2>&1 || return 1
  [ -x "$tools/sharpfuzz" ] && echo "$tools/sharpfuzz"
}

afl="" sharpfuzz=""
if [ "$mode" != "loop" ]; then
  afl=$(find_afl || true)
  sharpfuzz=$(find_sharpfuzz || true)
  if [ -z "$afl" ] || [ -z "$sharpfuzz" ]; then
    [ "$mode" = "afl" ] && { echo "fuzz: AFL mode asked for, but afl-fuzz (${afl:-missing}) or sharpfuzz (${sharpfuzz:-missing}) is not available" >&2; exit 1; }
    mode=loop
  else
    mode=afl
    # Instrument the product assemblies once (SharpFuzz rewrites them in place, adding AFL's edge coverage).
    if [ ! -f "$out/.instrumented" ]; then
      for dll in "$out"/OrchUpgradePrep.Core.dll "$out"/OrchUpgradePrep.Platform.dll "$out"/OrchUpgradePrep.Pipelines.dll "$out"/OrchUpgradePrep.Sandbox.dll; do
        "$sharpfuzz" "$dll" >/dev/null || { echo "fuzz: sharpfuzz could not instrument $dll" >&2; exit 1; }
      done
      touch "$out/.instrumented"
    fi
  fi
fi
echo "fuzz: mode $mode, ${seconds}s per target, targets: ${targets[*]}${mode:+$([ "$mode" = loop ] && echo ", seed $seed")}"

failed=0
for target in "${targets[@]}"; do
  corpus="$root/fuzz/corpus/$target"
  if [ "$mode" = "afl" ]; then
    state="$work/afl/$target"
    rm -rf "$state"; mkdir -p "$state"
    AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 \
      "$afl" -i "$corpus" -o "$state" -t 10000 -m none -V "$seconds" -- "${fuzzer[@]}" afl "$target" >"$state.log" 2>&1
    status=$?
    stats="$state/default/fuzzer_stats"
    crashes=$(find "$state/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
    hangs=$(find "$state/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
    if [ -f "$stats" ]; then
      echo "fuzz $target (afl): $(grep -E '^(execs_done|execs_per_sec|corpus_count|edges_found|total_edges)' "$stats" | tr -s ' ' | tr '\n' ' ')crashes $crashes, hangs $hangs"
    else
      echo "fuzz $target (afl): afl-fuzz exited $status without stats; see $state.log" >&2
      tail -20 "$state.log" >&2
      crashes=1
    fi
    if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
      mkdir -p "$findings"
      for f in "$state"/default/crashes/id:* "$state"/default/hangs/id:*; do
        [ -f "$f" ] && cp "$f" "$findings/$target-afl-$(sha256sum "$f" | cut -c1-12).bin"
      done
      echo "fuzz-result $target failed"; failed=1
    else
      echo "fuzz-result $target passed"
    fi
  else
    if "${fuzzer[@]}" loop "$target" "$seconds" "$seed" "$root/fuzz/corpus" "$findings"; then
      echo "fuzz-result $target passed"
    else
      echo "fuzz-result $target failed"; failed=1
    fi
  fi
done
exit "$failed"
