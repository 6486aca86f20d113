using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>Other people signed in to a host: Active and Disconnected sessions with a user (docs/facts/host-facts.md#sessions;
/// a disconnected RDP session often still holds Runbook Designer open). Session 0 (services) and sessions without a
/// user (console at the logon screen, RDP listener) do not count. orchprep cannot tell its own session from others
/// in a snapshot, so every user session is reported: a warning, or unmet when it holds an Orchestrator program.</summary>
public sealed class OtherSessionsCheck : ICheck
{
    // "Unknown": a remote (CIM) read cannot tell active from disconnected; a signed-in user counts either way.
    private static readonly string[] CountedStates = ["Active", "Disconnected", "Unknown"];

    public string Id => "programs.other-sessions";
    public string Title => "No other interactive sessions are signed in";
    public Prerequisite Prerequisite => Prerequisite.Programs;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var facts = context.Facts;
        var sessions = await facts.GetSessionsAsync(cancellationToken).ConfigureAwait(false);
        var source = $"{facts.HostName} sessions ({facts.SourceDescription})";
        var signedIn = sessions.Where(IsUserSession).OrderBy(s => s.SessionId).ToArray();
        if (signedIn.Length == 0)
        {
            return CheckOutcome.Met(
                $"No Active or Disconnected session with a user among {sessions.Count} sessions (session 0 and sessions without a user do not count).",
                new Evidence(source, sessions.Count == 0 ? "no sessions" : string.Join("; ", sessions.OrderBy(s => s.SessionId).Select(Describe))));
        }

        // Only now are the processes needed: which of these sessions holds an Orchestrator program.
        var processes = new HostProcesses(facts, await facts.GetProcessesAsync(cancellationToken).ConfigureAwait(false), sessions);
        var ids = signedIn.Select(s => s.SessionId).ToHashSet();
        var programs = processes.Find(ProgramImages.OrchestratorDesktop).Where(p => ids.Contains(p.SessionId)).ToArray();
        Evidence[] evidence = [.. signedIn.Select(s => new Evidence(source, Describe(s))), .. programs.Select(processes.EvidenceFor)];
        var who = string.Join("; ", signedIn.Select(s => $"{s.UserName} (session {s.SessionId}, {s.State})"));
        if (programs.Length > 0)
        {
            var holding = programs.Select(p => p.SessionId).Distinct().ToArray();
            var holds = holding.Length == 1 ? $"Session {holding[0]} holds" : $"Sessions {string.Join(", ", holding)} hold";
            return CheckOutcome.Unmet(
                $"{OrchestratorProgramsCheck.Count(signedIn.Length, "user session")} on the host: {who}. {holds} an Orchestrator program open (see {OrchestratorProgramsCheck.CheckId}).",
                OrchestratorProgramsCheck.AskToClose(programs),
                evidence);
        }

        return CheckOutcome.Warning(
            $"{OrchestratorProgramsCheck.Count(signedIn.Length, "user session")} on the host: {who}. None holds an Orchestrator program; from a snapshot orchprep cannot tell its own session from others, so every user session is listed.",
            "Ask these users to save their work and sign out before the upgrade; a disconnected session nobody returns to can be signed off with `logoff <session> /server:<host>` (`quser /server:<host>` lists them).",
            evidence);
    }

    private static bool IsUserSession(SessionInfo session) =>
        session.SessionId != 0 &&
        !string.IsNullOrWhiteSpace(session.UserName) &&
        CountedStates.Contains(session.State, StringComparer.OrdinalIgnoreCase);

    private static string Describe(SessionInfo s) =>
        $"session {s.SessionId}: {s.State}, user {s.UserName ?? "none"}, client {s.ClientName ?? "none"}";
}
