using System.Diagnostics;
using System.Globalization;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.WebService;

namespace OrchUpgradePrep.Benchmarks;

/// <summary>
/// The drain against the sandbox with the real SQL and web service clients, on the real clock: how long after the last
/// job ends the drain notices (against the poll interval), and what each poll costs (HTTP requests against pages of
/// 50 jobs; SQL statements against one).
/// </summary>
internal static class DrainBenchmark
{
    private const string Password = "Bench-Pw-1";

    public static async Task<int> RunAsync()
    {
        Console.WriteLine("drain: N jobs end in turn, the last 4 s after the start; detection delay = drain end - last job end");
        Console.WriteLine("pages/poll = pages of 50 the active jobs filled at each poll (what one request per page costs)");
        Console.WriteLine($"{"poll",6} {"jobs",5} {"polls",6} {"web req/poll",13} {"pages/poll",11} {"sql/poll",9} {"delay",8} {"delay/poll",11}");
        var worst = 0.0;
        foreach (var poll in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) })
        {
            foreach (var jobs in new[] { 10, 120 })
            {
                var row = await MeasureAsync(poll, jobs);
                worst = Math.Max(worst, row.DelayRatio);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{poll.TotalSeconds,5:0}s {jobs,5} {row.Polls,6} {row.WebPerPoll,13:0.00} {row.PagesPerPoll,11:0.00} {row.SqlPerPoll,9:0.00} {row.Delay.TotalSeconds,7:0.00}s {row.DelayRatio,10:0.00}x"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst detection delay: {worst:0.00}x the poll interval (goal <= 1.00x plus one poll's own time)"));
        return 0;
    }

    private static async Task<(int Polls, double WebPerPoll, double PagesPerPoll, double SqlPerPoll, TimeSpan Delay, double DelayRatio)> MeasureAsync(TimeSpan poll, int jobCount)
    {
        var time = TimeProvider.System;
        var runbook = new SandboxRunbook(Guid.NewGuid(), "Bench job", @"\Bench\Bench job", false);
        var server = new SandboxRunbookServer(Guid.NewGuid(), "RB01");
        var lastEnd = TimeSpan.FromSeconds(4);
        var seeds = Enumerable.Range(0, jobCount).Select(i =>
            new SandboxJobSeed(runbook.Name, server.Computer, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) + lastEnd * (i + 1) / jobCount)).ToArray();
        var world = new SandboxOrchestrator(new SandboxOrchestratorProfile([runbook], [server], seeds, []), time);
        var started = Stopwatch.GetTimestamp();
        var root = Path.Combine(Path.GetTempPath(), "orchprep-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var sql = await SandboxSqlServer.StartAsync(new SandboxSqlProfile(), root, new SandboxSqlServerOptions { Password = Password, Orchestrator = world }, time, CancellationToken.None);
        await using var web = await SandboxWebService.StartAsync(world, new SandboxWebServiceOptions { Password = Password }, time, CancellationToken.None);
        try
        {
            string? Variables(string name) => name == "P" ? Password : name == "U" ? "orchprep" : null;
            var connector = new SqlClientConnector(
                new SqlConfig { Server = sql.DataSource, Database = sql.Engine.Profile.DatabaseName, Auth = SqlAuth.Sql, User = "orchprep", PasswordEnv = "P", Encrypt = SqlEncrypt.Optional }, Variables);
            using var api = OrchestratorApiFactory.Create(new WebServiceConfig { Url = web.ServiceRoot, Auth = WebServiceAuth.Basic, UserEnv = "U", PasswordEnv = "P" }, Variables,
                new ODataOrchestratorApiOptions(), time);
            var inventory = new RunbookInventory(api, new OrchestratorDatabase(connector));
            // Warm the client's runbook cache and the connection pool, so the figures are those of a steady poll. This first
            // look also starts the jobs' countdown (the sandbox counts from the first look).
            started = Stopwatch.GetTimestamp();
            await inventory.ReadAsync(CancellationToken.None);
            var webBefore = web.Audit.Count;
            var sqlBefore = sql.Audit.Count;

            var pages = new PageCounter();
            var result = await new RunbookDrain(inventory, time, new DrainPolicy { Timeout = TimeSpan.FromSeconds(30), PollInterval = poll, Monitors = MonitorPolicy.Leave })
                .RunAsync(pages, null, CancellationToken.None);
            var endedAt = Stopwatch.GetElapsedTime(started);
            if (result.End != DrainEnd.Drained)
            {
                throw new InvalidOperationException($"the drain ended {result.End}");
            }

            var delay = endedAt - lastEnd;
            return (result.Polls, (web.Audit.Count - webBefore) / (double)result.Polls, pages.Pages / (double)result.Polls, (sql.Audit.Count - sqlBefore) / (double)result.Polls, delay, delay / poll);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Pages of 50 that each poll's active jobs fill (an empty feed is still one page).</summary>
    private sealed class PageCounter : IProgress<DrainStatus>
    {
        public int Pages { get; private set; }

        public void Report(DrainStatus value) => Pages += Math.Max(1, (value.Snapshot.Web!.Jobs!.Count + 49) / 50);
    }
}
