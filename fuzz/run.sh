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

mkdir -p "$work"
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

# AFL++: afl-fuzz on PATH, or unpacked from Debian's package into fuzz/.tools (no root needed: apt-get download and
# dpkg -x work as any user). afl-fuzz itself needs only libc and the libpython its package depends on; when that
# library is missing here, its package is unpacked beside afl++ and found through LD_LIBRARY_PATH.
afl_libs="$tools/afl/usr/lib/x86_64-linux-gnu"
afl_runs() { local help; help=$(LD_LIBRARY_PATH="$afl_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$1" -h 2>&1); [[ $help == *"afl-fuzz"*"[ options ]"* ]]; }
find_afl() {
  command -v afl-fuzz 2>/dev/null && return 0
  local bin="$tools/afl/usr/bin/afl-fuzz"
  if [ ! -x "$bin" ]; then
    command -v apt-get >/dev/null 2>&1 || return 1
    local debs; debs=$(mktemp -d)
    (cd "$debs" && apt-get download afl++ >"$work/apt.log" 2>&1) || { cat "$work/apt.log" >&2; rm -rf "$debs"; return 1; }
    mkdir -p "$tools/afl"
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$tools/afl"; done
    rm -rf "$debs"
  fi
  [ -x "$bin" ] || return 1
  if ! afl_runs "$bin"; then
    local lib debs; lib=$(apt-cache depends afl++ 2>/dev/null | grep -o 'libpython[0-9.]*' | head -1)
    [ -n "$lib" ] || { echo "fuzz: $bin does not run: $(ldd "$bin" 2>&1 | grep 'not found' | tr -s ' \t' ' ')" >&2; return 1; }
    debs=$(mktemp -d)
    (cd "$debs" && apt-get download "$lib" >"$work/apt.log" 2>&1) || cat "$work/apt.log" >&2
    for deb in "$debs"/*.deb; do [ -f "$deb" ] && dpkg -x "$deb" "$tools/afl"; done
    rm -rf "$debs"
    afl_runs "$bin" || { echo "fuzz: $bin does not run: $(LD_LIBRARY_PATH="$afl_libs" ldd "$bin" 2>&1 | grep 'not found' | tr -s ' \t' ' ')" >&2; return 1; }
  fi
  echo "$bin"
}
find_sharpfuzz() {
  command -v sharpfuzz 2>/dev/null && return 0
  [ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >&2 || return 1
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
    # SharpFuzz rewrites assemblies in place, adding AFL's edge coverage. The build output stays uninstrumented (an
    # instrumented assembly run outside afl-fuzz writes through a null coverage pointer, and the next `dotnet build`
    # copies the plain assemblies back over it), so a fresh copy is instrumented on every AFL run: the product's four
    # assemblies, and YamlDotNet, whose scanner is most of what the config target exercises. The harness and the
    # framework (System.Xml, System.Text.Json, ASP.NET's HeaderDictionary) are not instrumented.
    afl_bin="$work/afl-bin"
    rm -rf "$afl_bin"; mkdir -p "$afl_bin"; cp -a "$out/." "$afl_bin/"
    for dll in OrchUpgradePrep.Core OrchUpgradePrep.Platform OrchUpgradePrep.Gates OrchUpgradePrep.Sandbox YamlDotNet; do
      "$sharpfuzz" "$afl_bin/$dll.dll" >"$work/sharpfuzz.log" 2>&1 || { cat "$work/sharpfuzz.log" >&2; echo "fuzz: sharpfuzz could not instrument $dll.dll" >&2; exit 1; }
    done
  fi
fi
echo "fuzz: mode $mode, ${seconds}s per target, targets: ${targets[*]}${mode:+$([ "$mode" = loop ] && echo ", seed $seed")}${afl:+, $afl}"

failed=0
for target in "${targets[@]}"; do
  corpus="$root/fuzz/corpus/$target"
  if [ "$mode" = "afl" ]; then
    state="$work/afl/$target"
    rm -rf "$state"; mkdir -p "$state"
    # -t: 10 s per input (the loop's watchdog is 5 s; the first input after a crash also pays for starting a new
    # dotnet child). -m none: dotnet reserves far more address space than it uses, so memory is bounded by the GC
    # instead: past DOTNET_GCHeapHardLimit (1 GiB) an input ends in OutOfMemoryException, which SharpFuzz reports as a
    # crash. AFL_SKIP_BIN_CHECK: the instrumentation is in the assemblies, not in dotnet. AFL_NO_AFFINITY: the machine
    # is shared; afl-fuzz, SharpFuzz's server and its dotnet child take turns anyway.
    LD_LIBRARY_PATH="$afl_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 \
    DOTNET_GCHeapHardLimit=0x40000000 \
      "$afl" -i "$corpus" -o "$state" -t 10000 -m none -V "$seconds" -- dotnet "$afl_bin/OrchUpgradePrep.Fuzz.dll" afl "$target" >"$state.log" 2>&1
    status=$?
    stats="$state/default/fuzzer_stats"
    crashes=$(find "$state/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
    hangs=$(find "$state/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
    if [ -f "$stats" ]; then
      seeds=$(find "$corpus" -maxdepth 1 -type f | wc -l)
      afl_stat() { sed -n "s/^$1 *: *//p" "$stats"; }
      echo "fuzz $target (afl): execs $(afl_stat execs_done), $(afl_stat execs_per_sec)/s, corpus $(afl_stat corpus_count) from $seeds seeds, edges $(afl_stat edges_found), stability $(afl_stat stability), crashes $crashes, hangs $hangs, $(afl_stat run_time) s"
    else
      echo "fuzz $target (afl): afl-fuzz exited $status without stats; see $state.log" >&2
      tail -20 "$state.log" >&2
      crashes=1
    fi
    if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
      mkdir -p "$findings"
      for f in "$state"/default/crashes/id:* "$state"/default/hangs/id:*; do
        [ -f "$f" ] || continue
        kind=crash; case "$f" in */hangs/*) kind=hang ;; esac
        saved="$findings/$target-afl-$kind-$(sha256sum "$f" | cut -c1-12)"
        cp "$f" "$saved.bin"
        # How it ends without the instrumentation (same heap limit): the exception, or "refused"/"accepted" with the
        # time taken when only AFL's run failed (a hang, or a crash that depends on state left by earlier inputs).
        began=$SECONDS
        DOTNET_GCHeapHardLimit=0x40000000 timeout 60 "${fuzzer[@]}" replay "$target" "$saved.bin" >"$saved.txt" 2>&1
        echo "replay exited $? after $((SECONDS - began)) s" >>"$saved.txt"
        echo "fuzz $target (afl): $kind saved as $saved.bin: $(head -c 300 "$saved.txt" | head -1) ($(tail -1 "$saved.txt"))"
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
