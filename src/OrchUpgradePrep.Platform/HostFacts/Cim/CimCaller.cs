using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>Runs each CIM call with the per-call timeout and the caller's token, and turns failures into
/// <see cref="HostFactsException"/>. Cancellation by the caller stays <see cref="OperationCanceledException"/>.</summary>
internal sealed class CimCaller
{
    private readonly string _host;
    private readonly ICimQueries _queries;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public CimCaller(string host, ICimQueries queries, TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _host = host;
        _queries = queries;
        _timeout = timeout;
        _time = time;
    }

    public string Host => _host;

    public string Endpoint => _queries.Endpoint;

    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string cimNamespace, string wqlQuery, string what, CancellationToken cancellationToken) =>
        RunAsync(what, token => _queries.QueryAsync(cimNamespace, wqlQuery, token), cancellationToken);

    public Task<CimMethodOutput> InvokeAsync(
        string cimNamespace,
        string className,
        IReadOnlyDictionary<string, object>? instanceKeys,
        string methodName,
        IReadOnlyDictionary<string, object> arguments,
        string what,
        CancellationToken cancellationToken) =>
        RunAsync(what, token => _queries.InvokeAsync(cimNamespace, className, instanceKeys, methodName, arguments, token), cancellationToken);

    private async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // CimOperationOptions.Timeout bounds the call on the wire; this bounds it here too, should the native layer hang.
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or CimCallException) && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{_host}: {what} was cancelled", ex, cancellationToken);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or CimCallException) && timeout.IsCancellationRequested)
        {
            throw CimErrors.TimedOut(_host, what, _timeout, ex);
        }
        catch (CimCallException ex)
        {
            throw CimErrors.ToHostFactsException(_host, _queries.Endpoint, what, ex, _timeout);
        }
    }
}
