namespace OrchUpgradePrep.Sandbox.Orchestrator;

/// <summary>
/// The simulated Orchestrator's state, shared by the sandbox SQL Server (the Orchestrator tables) and the sandbox
/// web service (Atom feeds): a job stopped over HTTP is gone from the SQL view too. Jobs run on the sandbox clock:
/// a short runbook completes when its time is up; a monitor runs until stopped. Stopping a host's runbook service
/// while an instance runs there leaves that instance orphaned, as the real Runbook Service does when it stops abruptly.
/// </summary>
public sealed class SandboxOrchestrator
{
    /// <summary>The Runbook Service's short name (docs/facts/orchestrator-versions.md#services).</summary>
    public const string RunbookServiceName = "orunbook";

    /// <summary>The SID the sandbox records as creator of the jobs it starts itself.</summary>
    public const string SystemSid = "S-1-5-18";

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<JobState> _jobs = [];
    private readonly Dictionary<(string Host, string Name), SandboxService> _services = [];
    private readonly List<string> _changes = [];
    private readonly Dictionary<Guid, int?> _restartsLeft = [];
    private int _nextSeq = 1;
    private int _nextPid = 4100;
    private int _nextServicePid = 2200;
    private bool _looked;

    public SandboxOrchestrator(SandboxOrchestratorProfile profile, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _time = time;
        Runbooks = profile.Runbooks;
        Servers = profile.Servers;
        IntegrationPacks = profile.IntegrationPacks;
        Activities = profile.Activities;
        foreach (var restarts in profile.Restarts)
        {
            var runbook = Runbook(restarts.RunbookName) ?? throw new ArgumentException($"no runbook '{restarts.RunbookName}'", nameof(profile));
            _restartsLeft[runbook.Id] = restarts.Times;
        }

        foreach (var service in profile.Services)
        {
            _services[(service.Host.ToUpperInvariant(), service.Name.ToUpperInvariant())] =
                new SandboxService(service.Host, service.Name, service.DisplayName, service.Running, ProcessId: service.Running ? _nextServicePid += 4 : 0, HangsOnStop: service.HangsOnStop);
        }

        var now = Now;
        foreach (var seed in profile.Jobs)
        {
            var runbook = Runbook(seed.RunbookName) ?? throw new ArgumentException($"no runbook '{seed.RunbookName}'", nameof(profile));
            var server = Server(seed.Server) ?? throw new ArgumentException($"no runbook server '{seed.Server}'", nameof(profile));
            var started = now - seed.StartedAgo;
            _jobs.Add(new JobState
            {
                Id = Guid.NewGuid(),
                RunbookId = runbook.Id,
                ServerId = server.Id,
                CreationTime = started,
                LastModifiedTime = started,
                CreatedBy = "S-1-5-21-1004336348-1177238915-682003330-1105",
                Pending = seed.Pending,
                EndsAfterFirstLook = seed.RunsFor is { } runs ? runs - seed.StartedAgo : null,
                Instance = seed.Pending ? null : NewInstance(server.Id, started, seed.Orphaned),
            });
        }
    }

    public IReadOnlyList<SandboxRunbook> Runbooks { get; }

    public IReadOnlyList<SandboxRunbookServer> Servers { get; }

    public IReadOnlyList<SandboxIntegrationPack> IntegrationPacks { get; }

    public IReadOnlyList<SandboxActivity> Activities { get; }

    private DateTime Now => TruncateToMilliseconds(_time.GetUtcNow().UtcDateTime);

    public SandboxRunbook? Runbook(Guid id) => Runbooks.FirstOrDefault(r => r.Id == id);

    public SandboxRunbook? Runbook(string name) => Runbooks.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    public SandboxRunbookServer? Server(Guid id) => Servers.FirstOrDefault(s => s.Id == id);

    public SandboxRunbookServer? Server(string computer) => Servers.FirstOrDefault(s => string.Equals(s.Computer, computer, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every job, as it is now (newest last).</summary>
    public IReadOnlyList<SandboxJob> Jobs()
    {
        lock (_gate)
        {
            Advance();
            return [.. _jobs.Select(j => j.Snapshot())];
        }
    }

    public SandboxJob? Job(Guid id)
    {
        lock (_gate)
        {
            Advance();
            return _jobs.FirstOrDefault(j => j.Id == id)?.Snapshot();
        }
    }

    /// <summary>
    /// The web service's stop: only a Running job may become Canceled (a Pending one is refused, the strict reading
    /// of hh921684). <paramref name="ifMatchLastModified"/>: the LastModifiedTime the caller's ETag names, if any.
    /// </summary>
    public SandboxCancelOutcome CancelFromWebService(Guid jobId, DateTime? ifMatchLastModified)
    {
        lock (_gate)
        {
            Advance();
            var job = _jobs.FirstOrDefault(j => j.Id == jobId);
            if (job is null)
            {
                return SandboxCancelOutcome.NotFound;
            }

            if (ifMatchLastModified is { } expected && TruncateToMilliseconds(expected) != job.LastModifiedTime)
            {
                return SandboxCancelOutcome.StaleETag;
            }

            if (job.Status != "Running")
            {
                return SandboxCancelOutcome.InvalidTransition;
            }

            Cancel(job, "web service");
            return SandboxCancelOutcome.Canceled;
        }
    }

    /// <summary>The database's [Microsoft.SystemCenter.Orchestrator.Runtime].CancelJob: cancels a Running or Pending job; false when there is none such.</summary>
    public bool CancelFromDatabase(Guid jobId, string userSid)
    {
        lock (_gate)
        {
            Advance();
            var job = _jobs.FirstOrDefault(j => j.Id == jobId);
            if (job is null || job.Status is not ("Running" or "Pending"))
            {
                return false;
            }

            Cancel(job, $"CancelJob by {userSid}");
            return true;
        }
    }

    /// <summary>Starts a job of a runbook (POST /Jobs): Running on the first server whose Runbook Service runs, else Pending.
    /// It runs for <paramref name="runsFor"/> (default: 2 s; a monitor until stopped).</summary>
    public SandboxJob StartJob(Guid runbookId, string createdBy, TimeSpan? runsFor = null)
    {
        lock (_gate)
        {
            Advance();
            var runbook = Runbook(runbookId) ?? throw new KeyNotFoundException($"no runbook {runbookId}");
            var now = Now;
            var server = Servers.FirstOrDefault(s => ServiceRunning(s.Computer)) ?? Servers[0];
            var job = NewJob(runbook.Id, server.Id, now, createdBy, runbook.IsMonitor ? null : now + (runsFor ?? TimeSpan.FromSeconds(2)));
            _jobs.Add(job);
            _changes.Add($"job {job.Id} of '{runbook.Name}' started");
            return job.Snapshot();
        }
    }

    /// <summary>[Microsoft.SystemCenter.Orchestrator.Runtime.Internal].ClearOrphanedRunbookInstances: ends every orphaned instance; returns how many.</summary>
    public int ClearOrphanedInstances()
    {
        lock (_gate)
        {
            Advance();
            var now = Now;
            var cleared = 0;
            foreach (var job in _jobs.Where(j => j.Instance is { Orphaned: true, TimeEnded: null }))
            {
                job.Instance = job.Instance! with { TimeEnded = now, Status = "failed" };
                job.Status = "Completed";
                job.LastModifiedTime = now;
                cleared++;
            }

            if (cleared > 0)
            {
                _changes.Add($"{cleared} orphaned instance(s) cleared");
            }

            return cleared;
        }
    }

    public IReadOnlyList<SandboxService> Services(string host)
    {
        lock (_gate)
        {
            return [.. _services.Values.Where(s => string.Equals(s.Host, host, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Stops or starts a service. Stopping a Runbook Service orphans the instances still running on that host;
    /// starting it picks up the jobs queued for it.</summary>
    public bool SetServiceRunning(string host, string name, bool running)
    {
        lock (_gate)
        {
            Advance();
            if (!_services.TryGetValue((host.ToUpperInvariant(), name.ToUpperInvariant()), out var service))
            {
                return false;
            }

            if (running && service.StopPending)
            {
                // The Service Control Manager takes no start while the service is still stopping.
                throw new InvalidOperationException($"Cannot start service {service.Name} on computer '{host}'.",
                    new System.ComponentModel.Win32Exception(1056, "An instance of the service is already running."));
            }

            if (!running && service.HangsOnStop && service.Running)
            {
                // It takes the stop and never finishes it: StopPending, its process still there, no longer running jobs.
                _services[(host.ToUpperInvariant(), name.ToUpperInvariant())] = service with { Running = false, StopPending = true };
                _changes.Add($"{host}: service {service.Name} stop requested; it stays StopPending (process {service.ProcessId})");
                return true;
            }

            if (!running && service.StopPending)
            {
                return true;
            }

            var processId = !running ? 0 : service.Running ? service.ProcessId : _nextServicePid += 4;
            _services[(host.ToUpperInvariant(), name.ToUpperInvariant())] = service with { Running = running, ProcessId = processId };
            _changes.Add($"{host}: service {service.Name} {(running ? "started" : "stopped")}");
            if (string.Equals(name, RunbookServiceName, StringComparison.OrdinalIgnoreCase) && Server(host) is { } server)
            {
                foreach (var job in _jobs.Where(j => j.ServerId == server.Id && j.Instance is { TimeEnded: null } && !running))
                {
                    job.Instance = job.Instance! with { Orphaned = true };
                }

                Advance();
            }

            return true;
        }
    }

    /// <summary>Ends the process with this ID on the host (what `taskkill /f /pid` does): a service whose own process it
    /// is stops at once (a Runbook Service's running instances are orphaned). False when no service runs in it.</summary>
    public bool EndServiceProcess(string host, int processId)
    {
        lock (_gate)
        {
            Advance();
            var entry = _services.FirstOrDefault(p => string.Equals(p.Value.Host, host, StringComparison.OrdinalIgnoreCase) && p.Value.ProcessId == processId && processId > 0);
            if (entry.Value is not { } service)
            {
                return false;
            }

            _services[entry.Key] = service with { Running = false, StopPending = false, ProcessId = 0 };
            _changes.Add($"{host}: process {processId} of service {service.Name} ended");
            if (string.Equals(service.Name, RunbookServiceName, StringComparison.OrdinalIgnoreCase) && Server(host) is { } server)
            {
                foreach (var job in _jobs.Where(j => j.ServerId == server.Id && j.Instance is { TimeEnded: null }))
                {
                    job.Instance = job.Instance! with { Orphaned = true };
                }

                Advance();
            }

            return true;
        }
    }

    /// <summary>Every change made to the world (stops, starts, service changes), oldest first: tests prove check mode made none.</summary>
    public IReadOnlyList<string> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>The jobs and services as JSON, so a later run can continue this world (prepare, then resume, each a separate process).</summary>
    public string Export()
    {
        lock (_gate)
        {
            Advance();
            var saved = new SavedWorld(
                [.. _jobs.Select(j => new SavedJob(j.Id, j.RunbookId, j.ServerId, j.Status, j.CreationTime, j.LastModifiedTime, j.CreatedBy, j.EndsAt, j.Instance))],
                [.. _services.Values],
                _nextSeq,
                _nextPid,
                _restartsLeft.Count == 0 ? null : _restartsLeft.ToDictionary(p => p.Key, p => p.Value));
            return System.Text.Json.JsonSerializer.Serialize(saved);
        }
    }

    /// <summary>Replaces jobs and service states with an exported world (same scenario); a damaged export is refused.</summary>
    public void Restore(string json)
    {
        var saved = System.Text.Json.JsonSerializer.Deserialize<SavedWorld>(json) ?? throw new InvalidDataException("empty sandbox world");
        lock (_gate)
        {
            _jobs.Clear();
            foreach (var job in saved.Jobs)
            {
                if (Runbook(job.RunbookId) is null || Server(job.ServerId) is null)
                {
                    throw new InvalidDataException($"the saved sandbox world names a runbook or server this scenario does not have (job {job.Id})");
                }

                _jobs.Add(new JobState
                {
                    Id = job.Id, RunbookId = job.RunbookId, ServerId = job.ServerId, CreationTime = job.CreationTime, LastModifiedTime = job.LastModifiedTime,
                    CreatedBy = job.CreatedBy, EndsAt = job.EndsAt, Instance = job.Instance, Status = job.Status,
                });
            }

            foreach (var service in saved.Services)
            {
                _services[(service.Host.ToUpperInvariant(), service.Name.ToUpperInvariant())] = service;
            }

            _nextServicePid = Math.Max(_nextServicePid, _services.Values.Select(v => v.ProcessId).DefaultIfEmpty(0).Max());
            _nextSeq = saved.NextSeq;
            _nextPid = saved.NextPid;
            foreach (var (runbookId, left) in saved.RestartsLeft ?? new Dictionary<Guid, int?>())
            {
                _restartsLeft[runbookId] = left;
            }

            // A restored world continues where it was: its jobs already have their end times.
            _looked = true;
        }
    }

    private sealed record SavedJob(Guid Id, Guid RunbookId, Guid ServerId, string Status, DateTime CreationTime, DateTime LastModifiedTime, string CreatedBy, DateTime? EndsAt, SandboxRunbookInstance? Instance);

    private sealed record SavedWorld(IReadOnlyList<SavedJob> Jobs, IReadOnlyList<SandboxService> Services, int NextSeq, int NextPid,
        IReadOnlyDictionary<Guid, int?>? RestartsLeft = null);

    private bool ServiceRunning(string host) =>
        _services.TryGetValue((host.ToUpperInvariant(), RunbookServiceName.ToUpperInvariant()), out var service) && service.Running;

    private void Cancel(JobState job, string by)
    {
        var now = Now;
        job.Status = "Canceled";
        job.LastModifiedTime = now;
        if (job.Instance is { TimeEnded: null } instance)
        {
            job.Instance = instance with { TimeEnded = now, Status = "warning" };
        }

        _changes.Add($"job {job.Id} canceled ({by})");
        RestartIfScheduled(job, now);
    }

    /// <summary>A runbook that something starts again (<see cref="SandboxJobRestarts"/>): a new job of it, at once, where the stopped one ran.</summary>
    private void RestartIfScheduled(JobState stopped, DateTime now)
    {
        if (!_restartsLeft.TryGetValue(stopped.RunbookId, out var left) || left <= 0)
        {
            return;
        }

        _restartsLeft[stopped.RunbookId] = left - 1;
        // As long as the stopped job would have run: it is the same work, started again.
        var job = NewJob(stopped.RunbookId, stopped.ServerId, now, SystemSid, stopped.EndsAt is { } ends ? now + (ends - stopped.CreationTime) : null);
        _jobs.Add(job);
        _changes.Add($"job {job.Id} of '{Runbook(stopped.RunbookId)!.Name}' started again after a stop (schedule)");
    }

    /// <summary>Moves jobs on to now: finished runs complete; queued jobs start where a Runbook Service runs.</summary>
    private void Advance()
    {
        var now = Now;
        if (!_looked)
        {
            // A scenario's jobs count down from the first time anyone looks, not from when the sandbox was built: a
            // slow start (a loaded CI machine) must not let "two jobs finishing within seconds" finish unseen.
            _looked = true;
            foreach (var job in _jobs.Where(j => j.EndsAfterFirstLook is not null))
            {
                job.EndsAt = now + job.EndsAfterFirstLook!.Value;
            }
        }

        foreach (var job in _jobs)
        {
            var server = Server(job.ServerId);
            if (job.Status == "Pending" && server is not null && ServiceRunning(server.Computer))
            {
                job.Status = "Running";
                job.LastModifiedTime = now;
                job.Instance = NewInstance(job.ServerId, now, orphaned: false);
                job.EndsAt = job.EndsAt is null ? null : now + (job.EndsAt.Value - job.CreationTime);
            }

            if (job.Status == "Running" && job.EndsAt is { } ends && ends <= now && job.Instance is { Orphaned: false })
            {
                job.Status = "Completed";
                job.LastModifiedTime = ends;
                job.Instance = job.Instance with { TimeEnded = ends, Status = "success" };
            }
        }
    }

    /// <summary>A new job on a server: running when its Runbook Service runs, else queued until it does.</summary>
    private JobState NewJob(Guid runbookId, Guid serverId, DateTime now, string createdBy, DateTime? endsAt)
    {
        var running = Server(serverId) is { } server && ServiceRunning(server.Computer);
        return new JobState
        {
            Id = Guid.NewGuid(),
            RunbookId = runbookId,
            ServerId = serverId,
            CreationTime = now,
            LastModifiedTime = now,
            CreatedBy = createdBy,
            Pending = !running,
            EndsAt = endsAt,
            Instance = running ? NewInstance(serverId, now, orphaned: false) : null,
        };
    }

    private SandboxRunbookInstance NewInstance(Guid serverId, DateTime started, bool orphaned) =>
        new(Guid.NewGuid(), _nextSeq++, serverId, started, null, null, _nextPid += 4, orphaned);

    private static DateTime TruncateToMilliseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private sealed class JobState
    {
        public required Guid Id { get; init; }
        public required Guid RunbookId { get; init; }
        public required Guid ServerId { get; init; }
        public required DateTime CreationTime { get; init; }
        public required DateTime LastModifiedTime { get; set; }
        public required string CreatedBy { get; init; }
        public DateTime? EndsAt { get; set; }

        /// <summary>A seeded job's remaining run time, turned into <see cref="EndsAt"/> at the first look.</summary>
        public TimeSpan? EndsAfterFirstLook { get; init; }
        public SandboxRunbookInstance? Instance { get; set; }

        public bool Pending
        {
            init => Status = value ? "Pending" : "Running";
        }

        public string Status { get; set; } = "Running";


        public SandboxJob Snapshot() => new(Id, RunbookId, ServerId, Status, CreationTime, LastModifiedTime, CreatedBy, Instance);
    }
}
