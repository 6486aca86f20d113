using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>A host's processes with the session each runs in, so evidence can name who to ask.
/// Win32_Process gives no owner (the live adapter and the export script leave <c>userName</c> null),
/// so the user comes from the session list.</summary>
internal sealed class HostProcesses
{
    private readonly IReadOnlyList<ProcessInfo> _processes;
    private readonly Dictionary<int, SessionInfo> _sessions;
    private readonly string? _sessionsUnknown;
    private readonly string _source;

    public HostProcesses(IHostFacts facts, IReadOnlyList<ProcessInfo> processes, IReadOnlyList<SessionInfo>? sessions, string? sessionsUnknown = null)
    {
        _processes = processes;
        _sessions = (sessions ?? []).GroupBy(s => s.SessionId).ToDictionary(g => g.Key, g => g.First());
        _sessionsUnknown = sessionsUnknown;
        _source = $"{facts.HostName} processes ({facts.SourceDescription})";
    }

    public int Count => _processes.Count;

    /// <summary>Reads the processes (required: a failure propagates and the check is <c>error</c>) and the sessions
    /// (optional: they only name users; without them the evidence says the user is unknown, and why).</summary>
    public static async Task<HostProcesses> ReadAsync(IHostFacts facts, CancellationToken cancellationToken)
    {
        var processes = await facts.GetProcessesAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sessions = await facts.GetSessionsAsync(cancellationToken).ConfigureAwait(false);
            return new HostProcesses(facts, processes, sessions);
        }
        catch (HostFactsException ex)
        {
            return new HostProcesses(facts, processes, null, ex.Message);
        }
    }

    public IReadOnlyList<RunningProgram> Find(IReadOnlyList<ProgramImage> images) =>
        _processes
            .Select(p => (Process: p, Image: images.FirstOrDefault(i => i.Matches(p))))
            .Where(x => x.Image is not null)
            .Select(x => new RunningProgram(x.Image!, x.Process, UserOf(x.Process), StateOf(x.Process.SessionId)))
            .OrderBy(r => r.Process.SessionId)
            .ThenBy(r => r.Process.ProcessId)
            .ToArray();

    private string? UserOf(ProcessInfo process) =>
        !string.IsNullOrWhiteSpace(process.UserName) ? process.UserName
        : _sessions.TryGetValue(process.SessionId, out var session) && !string.IsNullOrWhiteSpace(session.UserName) ? session.UserName
        : null;

    private string? StateOf(int sessionId) => _sessions.TryGetValue(sessionId, out var session) ? session.State : null;

    /// <summary>What a met verdict rests on: none of these images among the processes read.</summary>
    public Evidence NoneOf(IEnumerable<ProgramImage> images) =>
        new(_source, $"no process named {string.Join(", ", images.Select(i => i.ImageName))} among {Count}");

    /// <summary>PID, user, session and image path: enough to find the process and the person to ask.</summary>
    public Evidence EvidenceFor(RunningProgram program)
    {
        var process = program.Process;
        var session = program.SessionState is null ? $"session {process.SessionId}" : $"session {process.SessionId} ({program.SessionState})";
        var user = program.User
            ?? (_sessionsUnknown is null ? "unknown (no user is signed in to that session)" : $"unknown (sessions unknown: {_sessionsUnknown})");
        var path = process.ExecutablePath ?? "path not reported";
        return new Evidence(_source, $"{process.Name} ({program.Image.Describe()}): PID {process.ProcessId}, user {user}, {session}, {path}");
    }
}

/// <summary>One process of a known program, with what a person needs to find it and ask its user to close it.</summary>
internal sealed record RunningProgram(ProgramImage Image, ProcessInfo Process, string? User, string? SessionState)
{
    public int SessionId => Process.SessionId;

    /// <summary>"CONTOSO\jdoe", or "the user of session 2" when the user is unknown.</summary>
    public string Who => User ?? $"the user of session {SessionId}";
}
