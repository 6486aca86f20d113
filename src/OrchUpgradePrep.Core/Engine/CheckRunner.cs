using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Engine;

/// <summary>
/// Runs a plan concurrently with a bounded degree of parallelism and a timeout per check. Every planned
/// row yields exactly one result: an exception, a timeout or a host that cannot be reached becomes
/// status <c>error</c> with the reason — never a crash, never a silent pass.
/// </summary>
public sealed class CheckRunner
{
    private readonly CheckRunnerOptions _options;
    private readonly IHostFactsSource _hostFacts;
    private readonly TimeProvider _time;
    private readonly ISqlConnector? _sql;
    private readonly System.IO.Abstractions.IFileSystem? _fileSystem;
    private readonly IRunbookJobs? _runbooks;

    /// <param name="sql">The environment's SQL Server, or null when it has none configured.</param>
    /// <param name="fileSystem">The runner's file system, for checks that look at shares it can reach (backup folder); null = none.</param>
    /// <param name="runbooks">The environment's runbook jobs, read once and shared by the runbooks checks; null = none.</param>
    public CheckRunner(CheckRunnerOptions options, IHostFactsSource hostFacts, TimeProvider time, ISqlConnector? sql = null,
        System.IO.Abstractions.IFileSystem? fileSystem = null, IRunbookJobs? runbooks = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CheckTimeout, TimeSpan.Zero);
        if (options.Deadline != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Deadline, TimeSpan.Zero);
        }
        _options = options;
        _hostFacts = hostFacts;
        _time = time;
        _sql = sql;
        _fileSystem = fileSystem;
        _runbooks = runbooks;
    }

    public async Task<CheckRunResult> RunAsync(
        IReadOnlyList<PlannedCheck> plan,
        EnvironmentConfig environment,
        TargetVersion target,
        IProgress<CheckResult>? progress,
        CancellationToken cancellationToken)
    {
        using var deadline = new RunDeadline(_options.Deadline, _time);
        return await RunAsync(plan, environment, target, progress, deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checks under a deadline the caller owns (the run engine's, see <see cref="RunEngine"/>); started here if it is not yet.</summary>
    public async Task<CheckRunResult> RunAsync(
        IReadOnlyList<PlannedCheck> plan,
        EnvironmentConfig environment,
        TargetVersion target,
        IProgress<CheckResult>? progress,
        RunDeadline deadline,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        deadline.Start();
        var results = new CheckResult?[plan.Count];
        var factsByHost = new Dictionary<string, Lazy<IHostFacts>>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in environment.Hosts)
        {
            // One adapter per host, created on first use by whichever check gets there first.
            factsByHost[host.Name] = new Lazy<IHostFacts>(() => _hostFacts.For(host), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        using var runToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var gate = new SemaphoreSlim(_options.MaxParallelism, _options.MaxParallelism);
        var tasks = new List<Task>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            var index = i;
            var item = plan[i];
            if (item.SkipReason is not null)
            {
                results[index] = Result(item, CheckOutcome.Skipped(item.SkipReason), 0);
                progress?.Report(results[index]!);
                continue;
            }

            tasks.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await gate.WaitAsync(runToken.Token).ConfigureAwait(false);
                        if (runToken.IsCancellationRequested)
                        {
                            // A slot freed at the moment the run ended: the check was never started, and says so.
                            gate.Release();
                            throw new OperationCanceledException(runToken.Token);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        results[index] = Result(item, cancellationToken.IsCancellationRequested
                            ? CheckOutcome.Skipped("not run: the run was cancelled")
                            : CheckOutcome.Error($"not started: {deadline.Describe()} passed first"), 0);
                        return;
                    }

                    try
                    {
                        results[index] = await RunOneAsync(item, environment, target, factsByHost, deadline, runToken.Token, cancellationToken).ConfigureAwait(false);
                        progress?.Report(results[index]!);
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                CancellationToken.None));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        foreach (var facts in factsByHost.Values.Where(f => f.IsValueCreated))
        {
            // A remote adapter holds a WinRM session; it ends with the run.
            try
            {
                switch (facts.Value)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception ex) when (ex is HostFactsException or IOException or InvalidOperationException)
            {
                // Closing a session that already failed is not news; its checks have said what went wrong.
            }
        }

        return new CheckRunResult(results.Select(r => r!).ToArray(), cancellationToken.IsCancellationRequested);
    }

    private async Task<CheckResult> RunOneAsync(
        PlannedCheck item,
        EnvironmentConfig environment,
        TargetVersion target,
        Dictionary<string, Lazy<IHostFacts>> factsByHost,
        RunDeadline deadline,
        CancellationToken cancellationToken,
        CancellationToken userCancellation)
    {
        var started = _time.GetTimestamp();
        long Elapsed() => (long)_time.GetElapsedTime(started).TotalMilliseconds;

        IHostFacts? facts = null;
        if (item.Host is not null)
        {
            try
            {
                facts = factsByHost[item.Host.Name].Value;
            }
            catch (Exception ex) when (ex is HostFactsException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                return Result(item, CheckOutcome.Error($"host facts unavailable: {ex.Message}"), Elapsed());
            }
        }

        var context = new CheckContext
        {
            Environment = environment,
            Target = target,
            TargetLevel = TargetLevels.Of(target, environment.Target == target ? environment.TargetUpdateRollup : null),
            Host = item.Host,
            HostFacts = facts,
            Time = _time,
            Sql = _sql,
            FileSystem = _fileSystem,
            Runbooks = _runbooks,
        };

        using var timeout = new CancellationTokenSource(_options.CheckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<CheckOutcome> running;
        try
        {
            running = item.Check.RunAsync(context, linked.Token);
        }
        catch (Exception ex)
        {
            return Result(item, Failed(ex), Elapsed());
        }

        // A check that ignores its token must not hold the run hostage: stop waiting when the token fires.
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (linked.Token.Register(() => abandoned.TrySetResult()).ConfigureAwait(false))
        {
            await Task.WhenAny(running, abandoned.Task).ConfigureAwait(false);
        }

        if (!running.IsCompleted || (running.IsCanceled && linked.IsCancellationRequested) ||
            (running.IsFaulted && running.Exception?.InnerException is OperationCanceledException && linked.IsCancellationRequested))
        {
            // Observe a late failure so it never surfaces as an unobserved task exception.
            _ = running.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            var outcome = userCancellation.IsCancellationRequested
                ? CheckOutcome.Error("cancelled before the check finished")
                : cancellationToken.IsCancellationRequested
                    ? CheckOutcome.Error($"not finished by {deadline.Describe()}")
                    : CheckOutcome.Error($"timed out after {Duration.Format(_options.CheckTimeout)}");
            return Result(item, outcome, Elapsed());
        }

        try
        {
            var outcome = await running.ConfigureAwait(false);
            return Result(item, outcome ?? CheckOutcome.Error("the check returned no result"), Elapsed());
        }
        catch (Exception ex)
        {
            return Result(item, Failed(ex), Elapsed());
        }
    }

    private static CheckOutcome Failed(Exception ex) => ex switch
    {
        HostFactsException => CheckOutcome.Error(ex.Message),
        OrchestratorApiException api => CheckOutcome.Error($"Orchestrator web service: {api.Message}"),
        SqlSessionException sql => CheckOutcome.Error(
            $"SQL Server: {sql.Message}",
            [.. sql.Messages.Select(m => new Evidence("SQL Server message", m.ToString()))]),
        OperationCanceledException => CheckOutcome.Error("the check was cancelled"),
        _ => CheckOutcome.Error($"the check failed: {ex.GetType().Name}: {ex.Message}"),
    };

    private static CheckResult Result(PlannedCheck item, CheckOutcome outcome, long durationMs) => new()
    {
        Id = item.Check.Id,
        Prerequisite = item.Check.Prerequisite,
        Host = item.HostLabel,
        Status = outcome.Status,
        Title = item.Check.Title,
        Detail = outcome.Detail,
        Evidence = outcome.Evidence,
        Remediation = outcome.Remediation,
        HelpUri = CheckHelp.UriFor(item.Check.Id),
        DurationMs = durationMs,
    };
}
