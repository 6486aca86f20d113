using System.IO.Abstractions.TestingHelpers;
using System.Text;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Prerequisites.Requirements;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Requirements.RequirementFixtures;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Snapshot;

/// <summary>
/// Issue #20's proof: a snapshot folder of real <c>reg export</c> files (both Uninstall views and the VC++ x64
/// runtime key), read by the real snapshot reader, judged for a 2025 target.
/// </summary>
public sealed class Upgrade2025SnapshotTests
{
    private const string Folder = "/snap/orch-rb02";
    private const string Header = "Windows Registry Editor Version 5.00\r\n\r\n";
    private const string Uninstall64 = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
    private const string Uninstall32 = @"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall";
    private const string VcRuntime = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64";

    private static string Entry(string root, string id, string name, string version) =>
        $"[{root}\\{id}]\r\n\"DisplayName\"=\"{name}\"\r\n\"DisplayVersion\"=\"{version}\"\r\n\"Publisher\"=\"Microsoft Corporation\"\r\n\r\n";

    private static SnapshotHostFacts Snapshot(string oleDbName, string oleDbVersion, int vcMinor, bool exportVcRuntime = true)
    {
        var uninstall = Header + $"[{Uninstall64}]\r\n\r\n" +
            Entry(Uninstall64, "{5E6D1B43-9A4C-4E2B-8F7D-0C3A2B1E4D22}", "System Center Orchestrator 2022 Runbook Server", "10.22.10.2") +
            Entry(Uninstall64, "{7A1D9C2B-3E4F-4A5B-8C6D-19A1B2C3D4E5}", oleDbName, oleDbVersion);
        var uninstallWow64 = Header + $"[{Uninstall32}]\r\n\r\n" +
            Entry(Uninstall32, "{OTHER}", "Microsoft Visual C++ 2015-2022 Redistributable (x86) - 14.40.33810", "14.40.33810.0");
        var vcRuntime = Header + $"[{VcRuntime}]\r\n\"Installed\"=dword:00000001\r\n\"Version\"=\"v14.{vcMinor}.30704.00\"\r\n" +
            $"\"Major\"=dword:0000000e\r\n\"Minor\"=dword:{vcMinor:x8}\r\n\"Bld\"=dword:00007800\r\n\"Rbld\"=dword:00000000\r\n";

        var files = new Dictionary<string, MockFileData>
        {
            [$"{Folder}/registry.reg"] = Utf16(uninstall),
            [$"{Folder}/05-uninstall-wow64.reg"] = Utf16(uninstallWow64),
        };
        if (exportVcRuntime)
        {
            files[$"{Folder}/18-vcruntime-x64.reg"] = Utf16(vcRuntime);
        }

        return SnapshotHostFacts.Open(new MockFileSystem(files), Folder, "orch-rb02");
    }

    private static MockFileData Utf16(string text) => new([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

    [Fact]
    public async Task Without_OLE_DB_Driver_19_the_2025_upgrade_is_unmet()
    {
        var outcome = await Run(new OleDbDriverCheck(), Snapshot("Microsoft OLE DB Driver for SQL Server", "18.7.4.0", 40), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("Only Microsoft OLE DB Driver for SQL Server 18.7.4.0 is installed", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VC_runtime_14_30_makes_the_2025_upgrade_unmet()
    {
        var outcome = await Run(new VcRedistCheck(), Snapshot("Microsoft OLE DB Driver 19 for SQL Server", "19.3.5.0", 30), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("14.30.30720 is older than the 14.34 or later", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source.Contains(@"VC\Runtimes\x64", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_both_in_place_the_2025_upgrade_is_met()
    {
        var snapshot = Snapshot("Microsoft OLE DB Driver 19 for SQL Server", "19.3.5.0", 40);

        Assert.Equal(CheckStatus.Met, (await Run(new OleDbDriverCheck(), snapshot, TargetVersion.V2025)).Status);
        Assert.Equal(CheckStatus.Met, (await Run(new VcRedistCheck(), snapshot, TargetVersion.V2025)).Status);
    }

    [Fact]
    public async Task An_installed_10_22_10_2_is_named_2022_UR3()
    {
        var outcome = await Run(new UpgradePathCheck(), Snapshot("Microsoft OLE DB Driver 19 for SQL Server", "19.3.5.0", 40), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("2022 UR3 (10.22.10.2) → 2025", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_without_the_runtime_export_is_an_error_never_met()
    {
        var outcome = await Run(new VcRedistCheck(), Snapshot("Microsoft OLE DB Driver 19 for SQL Server", "19.3.5.0", 40, exportVcRuntime: false), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("does not hold", outcome.Detail, StringComparison.Ordinal);
    }
}
