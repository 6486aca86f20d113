using OrchUpgradePrep.Benchmarks;

// One program, one figure per mode, each printed beside what it is measured against in the same run.
//   sha256 [size-MiB] [rounds]   orchprep's SHA-256 of a backup file vs sha256sum
//   drain                        drain detection delay vs poll interval, requests per poll, against the sandbox
//   hosts                        10 hosts with 200 ms per fact read: concurrent vs one at a time
//   coldstart [orchprep.dll|orchprep]  cold `check --sandbox` vs `dotnet --version`, median of 10
//   environments [N] [loopback|latency|both] [rounds]  the check pipeline for N sandbox environments at once vs one, in one process
//   perf-summary <perf-script.txt>  where the CPU of a `perf record -g` went, by owner (benchmarks/profile-environments makes one)
return args.FirstOrDefault() switch
{
    "drain" => await DrainBenchmark.RunAsync(),
    "hosts" => await HostsBenchmark.RunAsync(),
    "coldstart" => ColdStartBenchmark.Run(args[1..]),
    "environments" => await EnvironmentsBenchmark.RunAsync(args[1..]),
    "sha256" => await Sha256Benchmark.RunAsync(args[1..]),
    "perf-summary" => PerfSummary.Run(args[1..]),
    // Before modes existed the sizes came first: keep `-- 1024 3` working.
    _ => await Sha256Benchmark.RunAsync(args),
};
