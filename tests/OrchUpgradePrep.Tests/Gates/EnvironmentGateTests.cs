using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates;

public sealed class EnvironmentGateTests
{
    private static readonly GateEnvironment Prod = new("orchestrator-prod", "prod", null);
    private static readonly GateEnvironment Test = new("orchestrator-test", "test", null);

    /// <summary>A check that waits until the test releases it, and counts how many run at once per environment.</summary>
    private sealed class HeldCheck : IGateCheck
    {
        private readonly Dictionary<string, TaskCompletionSource<GateCheckResult>> _release = [];
        private readonly Lock _lock = new();
        private int _running;

        public int Started { get; private set; }
        public int MostAtOnce { get; private set; }
        public TaskCompletionSource StartedSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<GateCheckResult> For(string key)
        {
            lock (_lock)
            {
                if (!_release.TryGetValue(key, out var tcs))
                {
                    tcs = new TaskCompletionSource<GateCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _release[key] = tcs;
                }

                return tcs;
            }
        }

        public async Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Started++;
                _running++;
                MostAtOnce = Math.Max(MostAtOnce, _running);
            }

            StartedSignal.TrySetResult();
            try
            {
                return await For(environment.Key).Task.WaitAsync(cancellationToken);
            }
            finally
            {
                lock (_lock)
                {
                    _running--;
                }
            }
        }
    }

    private static GateCheckResult Met() => new(RunOutcome.Met, SampleReportFor(RunOutcome.Met), "# met");

    private static Report SampleReportFor(RunOutcome outcome) =>
        Reporting.SampleReport.Create() with { Outcome = outcome };

    [Fact]
    public async Task RequestsForOneEnvironment_WhileItIsChecked_AreAnsweredByThatOneRun()
    {
        var check = new HeldCheck();
        var gate = new EnvironmentGate(check, TimeProvider.System, TimeSpan.FromMinutes(5));

        var first = gate.CheckAsync(Prod, TestContext.Current.CancellationToken);
        await check.StartedSignal.Task.WaitAsync(TestContext.Current.CancellationToken);
        var others = Enumerable.Range(0, 49).Select(_ => gate.CheckAsync(Prod, TestContext.Current.CancellationToken)).ToList();
        Assert.Equal(["config:prod"], gate.Running);
        check.For(Prod.Key).SetResult(Met());
        var results = await Task.WhenAll(others.Prepend(first));

        Assert.Equal(1, check.Started);
        Assert.All(results, r => Assert.True(r.Approves));
        Assert.Empty(gate.Running);
    }

    [Fact]
    public async Task AfterARunEnds_TheNextRequestChecksAgain()
    {
        var check = new HeldCheck();
        var gate = new EnvironmentGate(check, TimeProvider.System, TimeSpan.FromMinutes(5));
        check.For(Prod.Key).SetResult(Met());

        await gate.CheckAsync(Prod, TestContext.Current.CancellationToken);
        await gate.CheckAsync(Prod, TestContext.Current.CancellationToken);

        Assert.Equal(2, check.Started);
    }

    [Fact]
    public async Task DifferentEnvironments_AreCheckedSideBySide()
    {
        var check = new HeldCheck();
        var gate = new EnvironmentGate(check, TimeProvider.System, TimeSpan.FromMinutes(5));

        var prod = gate.CheckAsync(Prod, TestContext.Current.CancellationToken);
        var test = gate.CheckAsync(Test, TestContext.Current.CancellationToken);
        while (check.Started < 2)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        check.For(Prod.Key).SetResult(Met());
        check.For(Test.Key).SetResult(Met());
        await Task.WhenAll(prod, test);
        Assert.Equal(2, check.MostAtOnce);
    }

    [Fact]
    public async Task ACheckThatOutlivesTheTimeout_IsAnErrorThatRejects()
    {
        var time = new FakeTimeProvider();
        var check = new HeldCheck();
        var gate = new EnvironmentGate(check, time, TimeSpan.FromMinutes(15));

        var pending = gate.CheckAsync(Prod, TestContext.Current.CancellationToken);
        await check.StartedSignal.Task.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(15));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(result.Approves);
        Assert.Equal(RunOutcome.Error, result.Outcome);
        Assert.Equal("the check did not finish within 15m.", result.Failure);
        Assert.Contains("rejected", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckThatThrows_IsAnErrorThatRejects_AndSaysWhy()
    {
        var gate = new EnvironmentGate(new ThrowingCheck(), TimeProvider.System, TimeSpan.FromMinutes(5));

        var result = await gate.CheckAsync(Prod, TestContext.Current.CancellationToken);

        Assert.False(result.Approves);
        Assert.Equal("the check failed: InvalidOperationException: config vanished", result.Failure);
    }

    [Fact]
    public async Task OnlyAMetReport_Approves()
    {
        foreach (var outcome in new[] { RunOutcome.Unmet, RunOutcome.Error, RunOutcome.Cancelled })
        {
            var check = new HeldCheck();
            check.For(Prod.Key).SetResult(new GateCheckResult(outcome, SampleReportFor(outcome), "#"));
            var result = await new EnvironmentGate(check, TimeProvider.System, TimeSpan.FromMinutes(5)).CheckAsync(Prod, TestContext.Current.CancellationToken);
            Assert.False(result.Approves, outcome.ToString());
        }
    }

    private sealed class ThrowingCheck : IGateCheck
    {
        public Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("config vanished");
    }
}
