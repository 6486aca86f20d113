using System.Collections.Concurrent;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Gates;

/// <summary>
/// One check per environment at a time: a request that arrives while its environment is being checked is answered
/// from that run (50 webhooks for one deployment cost one check). Each run has a deadline; a run that times out or
/// throws becomes an error result, which rejects — a gate never approves what it could not evaluate.
/// </summary>
public sealed class EnvironmentGate
{
    private readonly IGateCheck _check;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, Lazy<Task<GateCheckResult>>> _running = new(StringComparer.OrdinalIgnoreCase);

    public EnvironmentGate(IGateCheck check, TimeProvider time, TimeSpan timeout)
    {
        _check = check;
        _time = time;
        _timeout = timeout;
    }

    /// <summary>Environment keys being checked now (for tests and diagnostics; never served: /healthz names no environment).</summary>
    public IReadOnlyCollection<string> Running => _running.Keys.ToArray();

    public Task<GateCheckResult> CheckAsync(GateEnvironment environment, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var run = _running.GetOrAdd(environment.Key, _ => new Lazy<Task<GateCheckResult>>(() => RunOnceAsync(environment, stopping)));
        return run.Value;
    }

    private async Task<GateCheckResult> RunOnceAsync(GateEnvironment environment, CancellationToken stopping)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
            try
            {
                // Off the caller's thread: the check starts after GetOrAdd has published this run.
                var result = await Task.Run(() => _check.RunAsync(environment, linked.Token), linked.Token).ConfigureAwait(false);
                // `check` turns a cancellation into a report with outcome cancelled rather than an exception.
                return result.Outcome == RunOutcome.Cancelled && deadline.IsCancellationRequested ? TimedOut(environment) : result;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return TimedOut(environment);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return GateCheckResult.Failed(environment.ToString(), "the gate service is stopping; the check was cancelled.");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return GateCheckResult.Failed(environment.ToString(), $"the check failed: {ex.GetType().Name}: {ex.Message}");
            }
        }
        finally
        {
            _running.TryRemove(environment.Key, out _);
        }
    }

    private GateCheckResult TimedOut(GateEnvironment environment) =>
        GateCheckResult.Failed(environment.ToString(), $"the check did not finish within {Duration.Format(_timeout)}.");
}
