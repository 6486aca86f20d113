using System.Reflection;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>A scenario's runbook logs must fit in the POLICYINSTANCES rows it reports: the sandbox may not tell one check
/// 1,200 rows and another 48,211 completed instances of one runbook.</summary>
public sealed class SandboxRunbookLogsTests
{
    public static TheoryData<string> Profiles()
    {
        var data = new TheoryData<string>();
        foreach (var property in typeof(SandboxSqlProfiles).GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(SandboxSqlProfile)))
        {
            data.Add(property.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Every_scenario_profile_keeps_its_completed_runbook_instances_within_its_policyinstances_rows(string name)
    {
        var profile = (SandboxSqlProfile)typeof(SandboxSqlProfiles).GetProperty(name)!.GetValue(null)!;
        var rows = profile.LogTables.FirstOrDefault(t => t.Name == "POLICYINSTANCES")?.Rows ?? 0;

        Assert.True(profile.RunbookLogs.Sum(l => l.CompletedInstances) <= rows,
            $"{name}: {profile.RunbookLogs.Sum(l => l.CompletedInstances)} completed instances in the runbook logs, but POLICYINSTANCES has {rows} rows");
    }

    [Fact]
    public void The_default_profile_keeps_its_completed_runbook_instances_within_its_policyinstances_rows() =>
        Assert.True(new SandboxSqlProfile().RunbookLogs.Sum(l => l.CompletedInstances) <= new SandboxSqlProfile().LogTables.Single(t => t.Name == "POLICYINSTANCES").Rows);
}
