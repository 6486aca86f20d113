using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

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

    /// <summary>Runs a check against a named update level ("2022 UR1"), as --target would give it.</summary>
    public static async Task<CheckOutcome> Run(ICheck check, IHostFacts facts, TargetLevel level) =>
        await check.RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = level.Version, TargetUpdateRollup = level.UpdateRollup },
                Target = level.Version,
                TargetLevel = level,
                Host = new HostConfig { Name = facts.HostName, Roles = [HostRole.ManagementServer] },
                HostFacts = facts,
                Time = TimeProvider.System,
            },
            TestContext.Current.CancellationToken);

    /// <summary>"2022 UR1" → that level; "2022" → 2022's newest known level.</summary>
    public static TargetLevel Level(string text)
    {
        Assert.True(TargetLevels.TryParse(text, out var version, out var rollup), text);
        return TargetLevels.Of(version, rollup);
    }

    public static FakeHostFacts WithOleDbDriver(this FakeHostFacts host, string displayName, string version, bool wow64 = false)
    {
        var view = wow64 ? @"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall" : @"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
        host.FakeRegistry.Key(view).Key($@"{view}\{{OLEDB-{version}}}", FakeRegistry.Sz("DisplayName", displayName), FakeRegistry.Sz("DisplayVersion", version));
        return host;
    }

    public static FakeHostFacts WithVcRedist(this FakeHostFacts host, uint minor, uint build)
    {
        host.FakeRegistry.Key(
            VcRedistCheck.RuntimeKey,
            FakeRegistry.Dword("Installed", 1),
            FakeRegistry.Sz("Version", string.Create(CultureInfo.InvariantCulture, $"v14.{minor}.{build}.00")),
            FakeRegistry.Dword("Major", 14),
            FakeRegistry.Dword("Minor", minor),
            FakeRegistry.Dword("Bld", build));
        return host;
    }

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
