using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Runbooks;
using OrchUpgradePrep.Runner;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.Host;

namespace OrchUpgradePrep.Benchmarks;

/// <summary>
/// design.md "Beyond one machine": one runner checks many environments concurrently. The CLI checks one environment per
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
        var sessions = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => SandboxSession.StartAsync("ready", TimeProvider.System, CancellationToken.None, sqlPassword: "bench-Pw-1")));
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"environments: full check pipeline per environment ({sessions[0].Environment.Hosts.Count} hosts, SQL over TDS, web service over HTTP), {Environment.ProcessorCount} cores"));
            foreach (var latency in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(200) })
            {
                await TimeAsync(sessions[..1], latency); // warm-up: JIT, connection pools
                var one = Median([await TimeAsync(sessions[..1], latency), await TimeAsync(sessions[..1], latency), await TimeAsync(sessions[..1], latency)]);
                var many = Median([await TimeAsync(sessions, latency), await TimeAsync(sessions, latency), await TimeAsync(sessions, latency)]);
                var label = latency == TimeSpan.Zero ? "loopback (sandbox as is)" : $"{latency.TotalMilliseconds:0} ms per host fact read";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-28}: {count} environments at once {many:0.00} s, 1 environment {one:0.00} s, ratio {many / one:0.00}x (goal <= 1.5x), median of 3"));
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

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static async Task<double> TimeAsync(SandboxSession[] sessions, TimeSpan latency)
    {
        var watch = Stopwatch.StartNew();
        var runs = await Task.WhenAll(sessions.Select(s => CheckAsync(s, latency)));
        var elapsed = watch.Elapsed.TotalSeconds;
        var errors = runs.SelectMany(r => r.Results).Where(r => r.Status == CheckStatus.Error).ToList();
        return errors.Count == 0 ? elapsed : throw new InvalidOperationException($"{errors.Count} check(s) errored: {errors[0].Id}: {errors[0].Detail}");
    }

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
