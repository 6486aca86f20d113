using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

internal static class RestartFixtures
{
    /// <summary>A host whose whole registry is exported (undeclared keys are absent) and that runs no processes.</summary>
    public static FakeHostFacts Host() => new() { Processes = [] };

    /// <summary>A snapshot that exported only an unrelated subtree: every restart key is unknown.</summary>
    public static FakeHostFacts NothingExported()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();
        host.FakeRegistry.KnownRoots.Add(@"SOFTWARE\Microsoft\InetStp");
        return host;
    }

    public static async Task<CheckOutcome> Run(ICheck check, IHostFacts facts) =>
        await check.RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2022 },
                Target = TargetVersion.V2022,
                Host = new HostConfig { Name = facts.HostName, Roles = [HostRole.RunbookServer] },
                HostFacts = facts,
                Time = TimeProvider.System,
            },
            TestContext.Current.CancellationToken);

    public static void AssertEvidence(CheckOutcome outcome, string source, string value) =>
        Assert.True(
            outcome.Evidence.Any(e => e.Source == source && e.Value.Contains(value, StringComparison.Ordinal)),
            $"no evidence {source} = …{value}…; evidence: {string.Join(" | ", outcome.Evidence.Select(e => $"{e.Source} = {e.Value}"))}");
}
