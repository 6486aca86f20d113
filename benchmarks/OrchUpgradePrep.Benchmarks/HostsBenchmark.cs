using System.Diagnostics;
using System.Globalization;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.Host;

namespace OrchUpgradePrep.Benchmarks;

/// <summary>
/// Every per-host check over 10 hosts whose every fact read takes 200 ms (a remote host over WinRM), run with the
/// runner's default bound and one at a time, side by side: the ratio is what checking hosts concurrently buys.
/// </summary>
internal static class HostsBenchmark
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync()
    {
        await using var session = await SandboxSession.StartAsync("ready", TimeProvider.System, CancellationToken.None);
        var real = session.Environment.Hosts;
        // 10 configured hosts, each read through one of the sandbox's snapshots, 200 ms per read.
        var hosts = Enumerable.Range(1, 10).Select(i => real[(i - 1) % real.Count] with { Name = $"host{i:00}" }).ToList();
        var source = new LatentHostFactsSource(new RenamedHosts(session.HostFacts, hosts.Zip(Enumerable.Range(0, 10), (h, i) => (h.Name, real[i % real.Count])).ToDictionary()), Latency, TimeProvider.System);
        var environment = session.Environment with { Hosts = hosts, Sql = null, WebService = null };
        var plan = CheckPlanner.Plan(CheckCatalog.CreateAll().Where(c => c.Scope == CheckScope.PerHost), environment, CheckSelection.All);

        var concurrent = await TimeAsync(source, environment, plan, new CheckRunnerOptions());
        var sequential = await TimeAsync(source, environment, plan, new CheckRunnerOptions { MaxParallelism = 1 });

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hosts: 10, per-host checks: {plan.Count}, latency per fact read: {Latency.TotalMilliseconds:0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"concurrent (bound {new CheckRunnerOptions().MaxParallelism}): {concurrent.TotalSeconds,6:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one at a time            : {sequential.TotalSeconds,6:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio sequential/concurrent: {sequential / concurrent:0.0}x   (goal >= 5x)"));
        return 0;
    }

    private static async Task<TimeSpan> TimeAsync(IHostFactsSource source, EnvironmentConfig environment, IReadOnlyList<PlannedCheck> plan, CheckRunnerOptions options)
    {
        var watch = Stopwatch.StartNew();
        var run = await new CheckRunner(options with { CheckTimeout = TimeSpan.FromMinutes(5), Deadline = Timeout.InfiniteTimeSpan }, source, TimeProvider.System)
            .RunAsync(plan, environment, TargetVersion.V2022, null, CancellationToken.None);
        var errors = run.Results.Count(r => r.Status == CheckStatus.Error);
        return errors == 0 ? watch.Elapsed : throw new InvalidOperationException($"{errors} check(s) failed: {run.Results.First(r => r.Status == CheckStatus.Error).Detail}");
    }

    /// <summary>Reads a configured host from another host's snapshot (the snapshot names its own host).</summary>
    private sealed class RenamedHosts(IHostFactsSource inner, IReadOnlyDictionary<string, HostConfig> map) : IHostFactsSource
    {
        public IHostFacts For(HostConfig host) => inner.For(map[host.Name]);
    }
}
