namespace OrchUpgradePrep.Ports;

/// <summary>
/// The environment's runbook jobs as the runbooks checks see them: every configured source (the web service and the
/// database) read together, the first read shared by every check of the run. Implemented by
/// <c>Runbooks/RunbookInventory</c>; the kernel's <c>CheckContext</c> carries it without depending on that folder.
/// </summary>
public interface IRunbookJobs
{
    /// <summary>True when the environment has a web service or a database to read jobs from.</summary>
    bool IsConfigured { get; }

    /// <summary>The run's first read of every source, shared by the checks (later calls return the same read).</summary>
    Task<RunbookSnapshot> FirstSnapshotAsync(CancellationToken cancellationToken);
}

/// <summary>One source's answer: its jobs, or why it could not be read.</summary>
public sealed record SourceRead(string Name, string Description, IReadOnlyList<OrchestratorJob>? Jobs, string? Error)
{
    public bool Succeeded => Jobs is not null;
}

/// <summary>Active jobs at one moment: the union of the sources that answered, and what each said.</summary>
public sealed record RunbookSnapshot(IReadOnlyList<OrchestratorJob> Jobs, SourceRead? Web, SourceRead? Database)
{
    /// <summary>No source answered (both failed or none configured): nothing can be said about running jobs.</summary>
    public bool IsUnknown => Web?.Succeeded != true && Database?.Succeeded != true;

    public IReadOnlyList<SourceRead> Sources => [.. new[] { Web, Database }.OfType<SourceRead>()];

    public IEnumerable<OrchestratorJob> Running => Jobs.Where(j => j.Status == JobStatus.Running);

    public IEnumerable<OrchestratorJob> Pending => Jobs.Where(j => j.Status == JobStatus.Pending);

    /// <summary>Which answered, in words for evidence: "web service and database", "database (web service unreachable: …)".</summary>
    public string SourcesText =>
        string.Join("; ", Sources.Select(s => s.Succeeded ? $"{s.Name} ({s.Description})" : $"{s.Name} unavailable: {s.Error}"));

    public static RunbookSnapshot Combine(SourceRead? web, SourceRead? database)
    {
        var byId = new Dictionary<Guid, OrchestratorJob>();
        foreach (var job in web?.Jobs ?? [])
        {
            byId[job.Id] = job;
        }

        foreach (var job in database?.Jobs ?? [])
        {
            // The web service knows path and monitor flag; only the database knows an orphan.
            byId[job.Id] = byId.TryGetValue(job.Id, out var seen)
                ? seen with { IsOrphaned = job.IsOrphaned, StartedAt = job.StartedAt ?? seen.StartedAt, RunbookServer = seen.RunbookServer ?? job.RunbookServer }
                : job;
        }

        var jobs = byId.Values.OrderBy(j => j.CreationTime ?? DateTimeOffset.MaxValue).ThenBy(j => j.Id).ToArray();
        return new RunbookSnapshot(jobs, web, database);
    }
}
