using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Programs;

internal static class ProgramFixtures
{
    public const string DesignerPath = @"C:\Program Files\Microsoft System Center\Orchestrator\Runbook Designer\RunbookDesigner.exe";

    /// <summary>A quiet server: Windows' own processes and the Orchestrator services, nobody signed in.</summary>
    public static FakeHostFacts QuietHost() => new()
    {
        Processes =
        [
            P(4, "System", 0, null),
            P(712, "services.exe", 0),
            P(856, "svchost.exe", 0),
            P(1012, "LogonUI.exe", 1),
            P(2210, "ManagementService.exe", 0, @"C:\Program Files\Microsoft System Center\Orchestrator\Management Server\ManagementService.exe"),
            P(2304, "RunbookService.exe", 0, @"C:\Program Files\Microsoft System Center\Orchestrator\Runbook Server\RunbookService.exe"),
            P(2400, "PolicyModule.exe", 0, @"C:\Program Files\Microsoft System Center\Orchestrator\Runbook Server\PolicyModule.exe"),
        ],
        Sessions = [S(0, null, "Disconnected"), S(1, null, "Connected"), S(65536, null, "Listen")],
    };

    public static ProcessInfo P(int pid, string name, int session, string? path = "") =>
        new(pid, name, path == string.Empty ? @"C:\Windows\System32\" + name : path, null, session);

    public static SessionInfo S(int id, string? user, string state, string? client = null) => new(id, user, state, client);

    public static FakeHostFacts With(this FakeHostFacts host, params ProcessInfo[] processes)
    {
        host.Processes!.AddRange(processes);
        return host;
    }

    public static FakeHostFacts With(this FakeHostFacts host, params SessionInfo[] sessions)
    {
        host.Sessions!.AddRange(sessions);
        return host;
    }

    public static async Task<CheckOutcome> Run(ICheck check, IHostFacts facts) =>
        await check.RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2022 },
                Target = TargetVersion.V2022,
                Host = new HostConfig { Name = facts.HostName, Roles = [HostRole.ManagementServer] },
                HostFacts = facts,
                Time = TimeProvider.System,
            },
            TestContext.Current.CancellationToken);

    /// <summary>Through the real runner, which turns what the check throws into a result.</summary>
    public static async Task<CheckResult> RunThroughRunner(ICheck check, FakeHostFacts facts)
    {
        var environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2022, Hosts = [new HostConfig { Name = facts.HostName, Roles = [HostRole.Designer] }] };
        var plan = CheckPlanner.Plan([check], environment, CheckSelection.All);
        var run = await new CheckRunner(new CheckRunnerOptions(), new FakeHostFactsSource(facts), TimeProvider.System)
            .RunAsync(plan, environment, TargetVersion.V2022, null, TestContext.Current.CancellationToken);
        return Assert.Single(run.Results);
    }

    public static void AssertEvidence(CheckOutcome outcome, params string[] parts) =>
        Assert.Contains(outcome.Evidence, e => parts.All(p => e.Value.Contains(p, StringComparison.Ordinal)));
}
