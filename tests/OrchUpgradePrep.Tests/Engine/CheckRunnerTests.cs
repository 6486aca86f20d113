// The runner under test receives its tokens explicitly; the xunit test token adds nothing here.
#pragma warning disable xUnit1051
using Xunit;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Engine;
using static OrchUpgradePrep.Tests.Engine.TestEnvironments;

namespace OrchUpgradePrep.Tests.Engine;

public sealed class CheckRunnerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<CheckRunResult> Run(
        IEnumerable<ICheck> checks,
        OrchUpgradePrep.Config.EnvironmentConfig environment,
        CheckRunnerOptions? options = null,
        TimeProvider? time = null,
        ScriptedHostFactsSource? source = null,
        CancellationToken cancellationToken = default)
    {
        var plan = CheckPlanner.Plan(checks, environment, CheckSelection.All);
        var runner = new CheckRunner(options ?? new CheckRunnerOptions(), source ?? new ScriptedHostFactsSource(), time ?? TimeProvider.System);
        return runner.RunAsync(plan, environment, TargetVersion.V2022, null, cancellationToken);
    }

    [Fact]
    public async Task ThrowingCheck_BecomesErrorWithTheReason_AndOtherChecksStillRun()
    {
        var checks = new ICheck[]
        {
            new ScriptedCheck("requirements.boom", (_, _) => throw new InvalidOperationException("registry handle closed")),
            ScriptedCheck.Returning("requirements.fine", CheckOutcome.Met("fine")),
        };

        var run = await Run(checks, WithHosts(Host("a")));

        var boom = Assert.Single(run.Results, r => r.Id == "requirements.boom");
        Assert.Equal(CheckStatus.Error, boom.Status);
        Assert.Contains("InvalidOperationException: registry handle closed", boom.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Met, Assert.Single(run.Results, r => r.Id == "requirements.fine").Status);
        Assert.False(run.Cancelled);
    }

    [Fact]
    public async Task AsyncFaultingCheck_BecomesError()
    {
        var check = new ScriptedCheck("requirements.late", async (_, ct) =>
        {
            await Task.Yield();
            throw new IOException("share gone");
        });

        var run = await Run([check], WithHosts(Host("a")));

        Assert.Equal(CheckStatus.Error, run.Results[0].Status);
        Assert.Contains("share gone", run.Results[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRunsDeadline_EndsRunningAndQueuedChecksAsErrors_NotAsCancelled()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var slow = new ScriptedCheck("requirements.slow", async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromHours(1), time, ct);
            return CheckOutcome.Met("finished");
        });

        // One slot: host b's check waits in the queue behind host a's.
        var running = Run([slow], WithHosts(Host("a"), Host("b")),
            new CheckRunnerOptions { MaxParallelism = 1, CheckTimeout = TimeSpan.FromMinutes(10), Deadline = TimeSpan.FromMinutes(3) }, time);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(3));
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(run.Cancelled);
        Assert.True(run.Results.All(r => r.Status == CheckStatus.Error), string.Join(" | ", run.Results.Select(r => $"{r.Status}: {r.Detail}")));
        Assert.Contains(run.Results, r => r.Detail == "not finished by the run's deadline (3m)");
        Assert.Contains(run.Results, r => r.Detail == "not started: the run's deadline (3m) passed first");
    }

    [Fact]
    public async Task CheckThatIgnoresCancellation_TimesOutAsError_WithoutWaitingForIt()
    {
        var time = new FakeTimeProvider();
        var release = new TaskCompletionSource<CheckOutcome>();
        var started = new TaskCompletionSource();
        var hung = new ScriptedCheck("requirements.hung", (_, _) =>
        {
            started.TrySetResult();
            return release.Task; // never looks at its token
        });

        var running = Run([hung], WithHosts(Host("a")), new CheckRunnerOptions { CheckTimeout = TimeSpan.FromSeconds(30) }, time);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(31));
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CheckStatus.Error, run.Results[0].Status);
        Assert.Equal("timed out after 30s", run.Results[0].Detail);
        release.SetResult(CheckOutcome.Met("too late"));
    }

    [Fact]
    public async Task CheckThatHonoursItsToken_IsCancelledByTheTimeout()
    {
        var time = new FakeTimeProvider();
        // Set from the check's own catch: the runner may report the timeout before that continuation has run.
        var observedCancellation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource();
        var slow = new ScriptedCheck("requirements.slow", async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromHours(1), time, ct);
                return CheckOutcome.Met("finished");
            }
            catch (OperationCanceledException)
            {
                observedCancellation.TrySetResult();
                throw;
            }
        });

        var running = Run([slow], WithHosts(Host("a")), new CheckRunnerOptions { CheckTimeout = TimeSpan.FromMinutes(2) }, time);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMinutes(2));
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CheckStatus.Error, run.Results[0].Status);
        Assert.Equal("timed out after 2m", run.Results[0].Detail);
        await observedCancellation.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Parallelism_NeverExceedsTheBound()
    {
        var inFlight = 0;
        var peak = 0;
        var check = new ScriptedCheck("requirements.count", async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref inFlight);
            return CheckOutcome.Met("ok");
        });
        var hosts = Enumerable.Range(1, 24).Select(i => Host($"h{i:00}")).ToArray();

        var run = await Run([check], WithHosts(hosts), new CheckRunnerOptions { MaxParallelism = 3 });

        Assert.Equal(24, run.Results.Count);
        Assert.All(run.Results, r => Assert.Equal(CheckStatus.Met, r.Status));
        Assert.InRange(peak, 2, 3);
    }

    [Fact]
    public async Task Results_KeepPlanOrder_NotCompletionOrder()
    {
        var check = new ScriptedCheck("requirements.order", async (context, ct) =>
        {
            // The first host finishes last.
            await Task.Delay(context.Host!.Name == "h1" ? 80 : 1, ct);
            return CheckOutcome.Met(context.Host.Name);
        });

        var run = await Run([check], WithHosts(Host("h1"), Host("h2"), Host("h3")), new CheckRunnerOptions { MaxParallelism = 3 });

        Assert.Equal(["h1", "h2", "h3"], run.Results.Select(r => r.Host));
    }

    [Fact]
    public async Task UnreachableHost_GivesErrorOnEveryCheckOfThatHost_AndTheRestRun()
    {
        var checks = new ICheck[] { ScriptedCheck.Returning("requirements.one", CheckOutcome.Met("ok")), ScriptedCheck.Returning("requirements.two", CheckOutcome.Met("ok")) };

        var run = await Run(checks, WithHosts(Host("unreachable-01"), Host("fine")));

        var bad = run.Results.Where(r => r.Host == "unreachable-01").ToList();
        Assert.Equal(2, bad.Count);
        Assert.All(bad, r =>
        {
            Assert.Equal(CheckStatus.Error, r.Status);
            Assert.Contains("WinRM did not answer", r.Detail, StringComparison.Ordinal);
        });
        Assert.All(run.Results.Where(r => r.Host == "fine"), r => Assert.Equal(CheckStatus.Met, r.Status));
    }

    [Fact]
    public async Task HostFacts_AreCreatedOncePerHost()
    {
        var source = new ScriptedHostFactsSource();
        var checks = Enumerable.Range(1, 5).Select(i => (ICheck)new ScriptedCheck($"requirements.c{i}", (ctx, _) => Task.FromResult(CheckOutcome.Met(ctx.Facts.HostName)))).ToArray();

        await Run(checks, WithHosts(Host("a"), Host("b")), source: source);

        Assert.Equal(2, source.Created);
    }

    [Fact]
    public async Task RootCancellation_MarksRunCancelled_KeepsFinishedResults_AndNeverReportsUnfinishedAsMet()
    {
        using var cancellation = new CancellationTokenSource();
        var fastDone = new TaskCompletionSource();
        var fast = new ScriptedCheck("requirements.fast", (_, _) =>
        {
            fastDone.TrySetResult();
            return Task.FromResult(CheckOutcome.Met("done"));
        });
        var slow = new ScriptedCheck("requirements.slow", async (_, ct) =>
        {
            await fastDone.Task;
            await Task.Delay(20, CancellationToken.None);
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return CheckOutcome.Met("unreachable");
        });

        var run = await Run([fast, slow], WithHosts(Host("a")), new CheckRunnerOptions { MaxParallelism = 2 }, cancellationToken: cancellation.Token);

        Assert.True(run.Cancelled);
        Assert.Equal(CheckStatus.Met, Assert.Single(run.Results, r => r.Id == "requirements.fast").Status);
        var unfinished = Assert.Single(run.Results, r => r.Id == "requirements.slow");
        Assert.NotEqual(CheckStatus.Met, unfinished.Status);
        Assert.Equal(RunOutcome.Cancelled, Report.Decide(run.Results, run.Cancelled));
    }

    [Fact]
    public async Task CancelledBeforeStart_ReportsEveryRowAsNotRun()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var run = await Run([ScriptedCheck.Returning("requirements.x", CheckOutcome.Met("x"))], WithHosts(Host("a"), Host("b")), cancellationToken: cancellation.Token);

        Assert.True(run.Cancelled);
        Assert.Equal(2, run.Results.Count);
        Assert.All(run.Results, r => Assert.Equal(CheckStatus.Skipped, r.Status));
    }

    [Fact]
    public async Task Result_CarriesIdHostTitleHelpAndEvidence()
    {
        var outcome = CheckOutcome.Unmet("too old", "upgrade it", new Evidence(@"HKLM\X\Y", "REG_DWORD 0x00000001 (1)"));
        var run = await Run([ScriptedCheck.Returning("requirements.thing", outcome)], WithHosts(Host("orch-ms01")));

        var result = run.Results[0];
        Assert.Equal("requirements.thing", result.Id);
        Assert.Equal("orch-ms01", result.Host);
        Assert.Equal(Prerequisite.Requirements, result.Prerequisite);
        Assert.Equal("docs/checks/requirements.thing.md", result.HelpUri);
        Assert.Equal("upgrade it", result.Remediation);
        Assert.Equal(@"HKLM\X\Y", Assert.Single(result.Evidence).Source);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Fact]
    public async Task A_sql_failure_becomes_an_error_with_every_server_message_as_evidence()
    {
        var checks = new ICheck[]
        {
            new ScriptedCheck("requirements.sql", (_, _) => throw new OrchUpgradePrep.Ports.SqlSessionException(
                "BACKUP failed",
                [new(3201, 16, 1, "Cannot open backup device 'x'."), new(3013, 16, 1, "BACKUP DATABASE is terminating abnormally.")]), OrchUpgradePrep.Checks.CheckScope.Environment),
        };

        var result = (await Run(checks, WithHosts(Host("orch-ms01")))).Results.Single();

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("SQL Server: BACKUP failed", result.Detail);
        Assert.Equal(["Msg 3201, Level 16, State 1: Cannot open backup device 'x'.", "Msg 3013, Level 16, State 1: BACKUP DATABASE is terminating abnormally."], result.Evidence.Select(e => e.Value));
    }
}
