namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// Decides what a statement means. The server only speaks the protocol: it hands each batch or RPC here
/// and turns what the handler sends (or throws) into TDS tokens.
/// </summary>
public interface ISqlBatchHandler
{
    /// <summary>
    /// Answers one request. Throw <see cref="SqlErrorException"/> for an error SQL Server would raise;
    /// <paramref name="cancellationToken"/> fires on client attention (query timeout, Cancel()) or shutdown.
    /// </summary>
    Task ExecuteAsync(SqlRequest request, ITdsResponse response, CancellationToken cancellationToken);
}
