using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Which runbook jobs are active, from every configured source at once: the web service (names, paths, monitor flag)
/// and the database (orphan flag, and the fallback when the web service is down). The union is what counts — a job
/// either source sees running is running — and a job only one source sees is a disagreement the report names.
/// </summary>
public sealed class RunbookInventory : IRunbookJobs
{
    private readonly IOrchestratorApi? _web;
    private readonly OrchestratorDatabase? _database;
    private readonly Lock _gate = new();
    private Task<RunbookSnapshot>? _first;
    private SourceRead? _webDown;

    public RunbookInventory(IOrchestratorApi? web, OrchestratorDatabase? database)
    {
        _web = web;
        _database = database;
    }

    public bool IsConfigured => _web is not null || _database is not null;

    /// <summary>The web service, while it answers: after one failed read (retries included) a run that has the database
    /// uses it alone instead of waiting through the same retries at every poll — a circuit opened for the rest of the run.
    /// Without a database the web service is all there is, so it is asked again.</summary>
    public IOrchestratorApi? WebService => _webDown is null || _database is null ? _web : null;

    public OrchestratorDatabase? Database => _database;

    /// <summary>A fresh read of every source (concurrently). Source failures are recorded in the snapshot, not thrown.</summary>
    public async Task<RunbookSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var web = _web is null ? Task.FromResult<SourceRead?>(null)
            : _webDown is not null && _database is not null ? Task.FromResult<SourceRead?>(_webDown)
            : ReadAsync("web service", _web.Description, _web.ListActiveJobsAsync, cancellationToken);
        var database = _database is null ? Task.FromResult<SourceRead?>(null) : ReadAsync("database", _database.Description, _database.ReadActiveJobsAsync, cancellationToken);
        await Task.WhenAll(web, database).ConfigureAwait(false);
        var webRead = await web.ConfigureAwait(false);
        if (webRead is { Succeeded: false } && _webDown is null)
        {
            _webDown = webRead with { Error = webRead.Error + " (not retried for the rest of this run)" };
        }

        return RunbookSnapshot.Combine(webRead, await database.ConfigureAwait(false));
    }

    /// <summary>The first snapshot of this inventory, read once and shared by every check of a run (each check would
    /// otherwise page through the same feeds again). A cancelled first read is retried by the next caller.</summary>
    public async Task<RunbookSnapshot> FirstSnapshotAsync(CancellationToken cancellationToken)
    {
        Task<RunbookSnapshot> first;
        lock (_gate)
        {
            if (_first is null || _first.IsCanceled || _first.IsFaulted)
            {
                _first = ReadAsync(cancellationToken);
            }

            first = _first;
        }

        return await first.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SourceRead?> ReadAsync(
        string name, string description, Func<CancellationToken, Task<IReadOnlyList<OrchestratorJob>>> read, CancellationToken cancellationToken)
    {
        try
        {
            return new SourceRead(name, description, await read(cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is OrchestratorApiException or SqlSessionException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            return new SourceRead(name, description, null, ex.Message);
        }
    }
}
