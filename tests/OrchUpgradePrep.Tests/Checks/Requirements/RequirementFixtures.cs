using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Checks.Requirements;

internal static class RequirementFixtures
{
    public static FakeHostFacts Host(int build = 20348, string? installationType = "Server") => new()
    {
        OperatingSystem = new OperatingSystemFacts($"Microsoft Windows Server build {build}", $"10.0.{build}", build, installationType, "fake os"),
        Hardware = new HardwareFacts(16L << 30, 4, 8, 2600, "fake hardware"),
        Volumes = [new VolumeFacts("C:", 100L << 30, 50L << 30)],
        DotNetRuntimes = [],
    };

    public static async Task<CheckOutcome> Run(ICheck check, IHostFacts facts, TargetVersion target = TargetVersion.V2022) =>
        await check.RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = target },
                Target = target,
                Host = new HostConfig { Name = facts.HostName, Roles = [HostRole.ManagementServer] },
                HostFacts = facts,
                Time = TimeProvider.System,
            },
            TestContext.Current.CancellationToken);

    public static FakeHostFacts WithOrchestrator(this FakeHostFacts host, string? version, string installLocation = @"C:\Program Files (x86)\Microsoft System Center\Orchestrator\")
    {
        var values = new List<RegistryValue> { FakeRegistry.Sz("DisplayName", "System Center Orchestrator Management Server"), FakeRegistry.Sz("InstallLocation", installLocation) };
        if (version is not null)
        {
            values.Add(FakeRegistry.Sz("DisplayVersion", version));
        }

        host.FakeRegistry.Key(@"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall")
            .Key(@"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{C8B3E5E4-0000-4000-8000-000000000001}", [.. values])
            .Key(@"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{OTHER}", FakeRegistry.Sz("DisplayName", "Microsoft Visual C++ 2015 Redistributable"), FakeRegistry.Sz("DisplayVersion", "14.0.24215"))
            .Key(@"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall");
        return host;
    }

    public static void AssertEvidenceMentions(CheckOutcome outcome, string text) =>
        Assert.Contains(outcome.Evidence, e => e.Value.Contains(text, StringComparison.Ordinal) || e.Source.Contains(text, StringComparison.Ordinal));
}
