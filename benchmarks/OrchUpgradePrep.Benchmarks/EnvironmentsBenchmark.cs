using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.Host;

namespace OrchUpgradePrep.Benchmarks;

/// <summary>
/// docs/architecture.md#beyond-one-machine: one runner checks many environments concurrently. The CLI checks one environment per
/// process today (--environment picks one), so this measures the engine in one process: the full `check` pipeline
/// (every catalog check, CheckRunner with its default bound, the real SQL client over TDS and the OData client over HTTP,
/// host snapshots read by the real reader) for N sandbox environments — each its own SQL Server, web service and 4 hosts —
/// all at once, beside 1 environment alone, in the same run. Sandbox start-up is not timed (an environment exists before
/// it is checked). Two cases: loopback as the sandbox answers (CPU-bound: 2 cores do all the work of N) and each host
/// fact read 200 ms away (a remote host over WinRM, as in `hosts`), where the waits overlap.
/// </summary>
internal static class EnvironmentsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        // `loopback` or `latency` runs one case alone (to profile it: dotnet-trace collect -- dotnet … environments 20 loopback).
        var cases = (args.Length > 1 ? args[1] : "both") switch
        {
            "loopback" => new[] { TimeSpan.Zero },
            "latency" => new[] { TimeSpan.FromMilliseconds(200) },
            _ => new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(200) },
        };
        // Timed runs per case (median taken; default 10 on loopback, where a run takes milliseconds, 3 with latency); more
        // make a profile of the timed part outweigh the sandboxes' start-up.
        int? roundsAsked = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : null;
        var sessions = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => SandboxSession.StartAsync("ready", TimeProvider.System, CancellationToken.None, sqlPassword: "bench-Pw-1")));
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"environments: full check pipeline per environment ({sessions[0].Environment.Hosts.Count} hosts, SQL over TDS, web service over HTTP), {Environment.ProcessorCount} cores"));
            foreach (var latency in cases)
            {
                // Warm-up of every environment: JIT (three rounds, so tiered compilation has settled and its background
                // work is not charged to the timed runs' CPU), and each environment's SQL connection pool and TLS session,
                // so the 20 are not charged for first connections that the 1 has already made.
                for (var i = 0; i < (latency == TimeSpan.Zero ? 3 : 1); i++)
                {
                    await TimeAsync(sessions, latency);
                }

                var rounds = roundsAsked ?? (latency == TimeSpan.Zero ? 10 : 3);
                var one = Median(await RepeatAsync(rounds, () => TimeAsync(sessions[..1], latency)));
                var many = Median(await RepeatAsync(rounds, () => TimeAsync(sessions, latency)));
                var label = latency == TimeSpan.Zero ? "loopback (sandbox as is)" : $"{latency.TotalMilliseconds:0} ms per host fact read";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-28}: {count} environments at once {many.Wall:0.000} s, 1 environment {one.Wall:0.000} s, ratio {many.Wall / one.Wall:0.00}x (goal <= 1.5x), median of {rounds}"));
                if (latency != TimeSpan.Zero)
                {
                    continue; // I/O-bound: the waits overlap, so CPU time explains nothing here.
                }

                // The profile that explains the wall-time ratio: CPU time of the whole process (client and in-process
                // sandbox servers) and how many of the cores it kept busy. CPU ratio ~ N and cores busy ~ all of them
                // means the run is CPU-bound and the wall ratio is N x work / cores, not a concurrency cost.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{"",-28}  CPU time {many.Cpu:0.000} s vs {one.Cpu:0.000} s, ratio {many.Cpu / one.Cpu:0.0}x; cores busy {many.Cpu / many.Wall:0.00} vs {one.Cpu / one.Wall:0.00} of {Environment.ProcessorCount}; " +
                    $"CPU per environment {many.Cpu / count * 1000:0.0} ms vs {one.Cpu * 1000:0.0} ms"));
            }
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }

        return 0;
    }

    private static async Task<Measured[]> RepeatAsync(int rounds, Func<Task<Measured>> run)
    {
        var results = new Measured[rounds];
        for (var i = 0; i < rounds; i++)
        {
            results[i] = await run();
        }

        return results;
    }

    private static Measured Median(Measured[] values) => values.OrderBy(v => v.Wall).ElementAt(values.Length / 2);

    private static async Task<Measured> TimeAsync(SandboxSession[] sessions, TimeSpan latency)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var runs = await Task.WhenAll(sessions.Select(s => CheckAsync(s, latency)));
        var elapsed = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var errors = runs.SelectMany(r => r.Results).Where(r => r.Status == CheckStatus.Error).ToList();
        return errors.Count == 0 ? new Measured(elapsed, cpu) : throw new InvalidOperationException($"{errors.Count} check(s) errored: {errors[0].Id}: {errors[0].Detail}");
    }

    /// <summary>Wall time and the process's CPU time (all threads) of one timed run, in seconds.</summary>
    private readonly record struct Measured(double Wall, double Cpu);

    /// <summary>What `orchprep check` does for one environment once it is resolved (RunCommand: plan, runner, inventory).</summary>
    private static async Task<CheckRunResult> CheckAsync(SandboxSession session, TimeSpan latency)
    {
        await Task.Yield();
        string? Variables(string name) => name == SandboxSession.PasswordVariable ? "bench-Pw-1" : name == SandboxSession.UserVariable ? "orchprep" : null;
        var sql = new SqlClientConnector(session.Environment.Sql!, Variables);
        using var web = OrchestratorApiFactory.Create(session.Environment.WebService!, Variables, new ODataOrchestratorApiOptions(), TimeProvider.System);
        IHostFactsSource hosts = latency > TimeSpan.Zero ? new LatentHostFactsSource(session.HostFacts, latency, TimeProvider.System) : session.HostFacts;
        var runner = new CheckRunner(new CheckRunnerOptions { CheckTimeout = TimeSpan.FromMinutes(5), Deadline = Timeout.InfiniteTimeSpan }, hosts, TimeProvider.System, sql,
            new FileSystem(), new RunbookInventory(web, new OrchestratorDatabase(sql)));
        var plan = CheckPlanner.Plan(CheckCatalog.CreateAll(), session.Environment, CheckSelection.All);
        return await runner.RunAsync(plan, session.Environment, TargetVersion.V2022, null, CancellationToken.None);
    }
}
