using System.Globalization;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Requirements.RequirementFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class OsVersionCheckTests
{
    [Theory]
    [InlineData(TargetVersion.V2016, 9600)]
    [InlineData(TargetVersion.V2016, 14393)]
    [InlineData(TargetVersion.V2019, 17763)]
    [InlineData(TargetVersion.V2022, 17763)]
    [InlineData(TargetVersion.V2022, 20348)]
    [InlineData(TargetVersion.V2025, 20348)]
    [InlineData(TargetVersion.V2012R2, 7601)]
    public async Task A_supported_build_is_met(TargetVersion target, int build)
    {
        var outcome = await Run(new OsVersionCheck(), Host(build), target);
        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidenceMentions(outcome, $"build {build}");
    }

    [Theory]
    [InlineData(TargetVersion.V2022, 14393, "Windows Server 2016 (build 14393) is not supported")]
    [InlineData(TargetVersion.V2016, 17763, "Windows Server 2019 (build 17763) is not supported")]
    [InlineData(TargetVersion.V2025, 25398, "build 25398 is not a Windows Server release this tool knows")]
    public async Task An_unsupported_build_is_unmet_and_lists_what_is_supported(TargetVersion target, int build, string detail)
    {
        var outcome = await Run(new OsVersionCheck(), Host(build), target);
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(detail, outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("supports", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("learn.microsoft.com", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_edition_is_unmet_for_server_roles()
    {
        var outcome = await Run(new OsVersionCheck(), Host(22631, "Client"));
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("client edition", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_an_installation_type_is_told_by_its_caption()
    {
        var host = Host(17763, null);
        host.OperatingSystem = host.OperatingSystem! with { Caption = "Microsoft Windows 10 Enterprise LTSC 2019" };
        Assert.Equal(CheckStatus.Unmet, (await Run(new OsVersionCheck(), host)).Status);
    }

    [Fact]
    public async Task Unconfirmed_facts_are_said_in_the_detail()
    {
        Assert.Contains("unconfirmed", (await Run(new OsVersionCheck(), Host(26100), TargetVersion.V2025)).Detail, StringComparison.Ordinal);
        Assert.Contains("unconfirmed", (await Run(new OsVersionCheck(), Host(9600), TargetVersion.V2012R2)).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("unconfirmed", (await Run(new OsVersionCheck(), Host(20348), TargetVersion.V2022)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_os_facts_propagate_as_host_facts_errors()
    {
        var host = Host();
        host.OperatingSystem = null;
        await Assert.ThrowsAsync<HostFactsException>(() => Run(new OsVersionCheck(), host));
    }
}

public sealed class DesktopExperienceCheckTests
{
    [Theory]
    [InlineData("Server Core", TargetVersion.V2022, CheckStatus.Unmet)]
    [InlineData("Server", TargetVersion.V2022, CheckStatus.Met)]
    [InlineData("Server Core", TargetVersion.V2012R2, CheckStatus.Skipped)]
    [InlineData(null, TargetVersion.V2019, CheckStatus.Error)]
    public async Task Server_core_fails_from_2016_on(string? installationType, TargetVersion target, CheckStatus expected)
    {
        var outcome = await Run(new DesktopExperienceCheck(), Host(20348, installationType), target);
        Assert.Equal(expected, outcome.Status);
        if (expected == CheckStatus.Unmet)
        {
            Assert.Contains("Desktop Experience", outcome.Remediation, StringComparison.Ordinal);
        }
    }
}

public sealed class MemoryCheckTests
{
    [Theory]
    [InlineData(TargetVersion.V2022, 2L << 30, CheckStatus.Met)]
    [InlineData(TargetVersion.V2022, 2040L << 20, CheckStatus.Warning)]
    [InlineData(TargetVersion.V2022, 1L << 30, CheckStatus.Unmet)]
    [InlineData(TargetVersion.V2012R2, 1L << 30, CheckStatus.Met)]
    public async Task Compares_physical_memory_with_the_targets_minimum(TargetVersion target, long bytes, CheckStatus expected)
    {
        var host = Host();
        host.Hardware = host.Hardware! with { TotalPhysicalMemoryBytes = bytes };
        var outcome = await Run(new MemoryCheck(), host, target);
        Assert.Equal(expected, outcome.Status);
        AssertEvidenceMentions(outcome, $"{bytes} bytes");
    }
}

public sealed class CpuCheckTests
{
    [Theory]
    [InlineData(1, 3000, CheckStatus.Unmet)]
    [InlineData(2, 1800, CheckStatus.Warning)]
    [InlineData(2, 2100, CheckStatus.Met)]
    public async Task Cores_decide_and_clock_only_warns(int cores, int mhz, CheckStatus expected)
    {
        var host = Host();
        host.Hardware = host.Hardware! with { CpuCores = cores, LogicalProcessors = cores, MaxClockSpeedMHz = mhz };
        var outcome = await Run(new CpuCheck(), host);
        Assert.Equal(expected, outcome.Status);
        AssertEvidenceMentions(outcome, $"{cores} cores");
    }

    [Fact]
    public async Task The_clock_minimum_reads_the_same_on_a_German_runner()
    {
        var host = Host();
        host.Hardware = host.Hardware! with { CpuCores = 1, LogicalProcessors = 1, MaxClockSpeedMHz = 3000 };
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Assert.Equal("2,5", 2.5.ToString(CultureInfo.CurrentCulture)); // the culture really formats differently here
            var outcome = await Run(new CpuCheck(), host);
            Assert.Contains("2 cores at 2.1 GHz", outcome.Detail, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

public sealed class DiskSpaceCheckTests
{
    [Fact]
    public async Task Checks_the_drive_orchestrator_is_installed_on()
    {
        var host = Host().WithOrchestrator("10.19.126.0", @"D:\Orchestrator\");
        host.Volumes = [new VolumeFacts("C:", 100L << 30, 50L << 30), new VolumeFacts("D:", 10L << 30, 100L << 20)];
        var outcome = await Run(new DiskSpaceCheck(), host);
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("D:", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("100 MiB", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_installation_the_system_drive_is_checked()
    {
        var outcome = await Run(new DiskSpaceCheck(), Host());
        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidenceMentions(outcome, "C: 50 GiB free");
    }

    [Fact]
    public async Task An_unknown_install_drive_is_never_a_plain_pass()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();
        var outcome = await Run(new DiskSpaceCheck(), host);
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("install drive is unknown", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pass_against_an_unconfirmed_row_says_so()
    {
        var outcome = await Run(new MemoryCheck(), Host(), TargetVersion.V2012R2);
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("unconfirmed", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drive_missing_from_the_facts_is_an_error_not_a_pass()
    {
        var host = Host().WithOrchestrator("10.19.126.0", @"E:\SCO\");
        var outcome = await Run(new DiskSpaceCheck(), host);
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("E:", outcome.Detail, StringComparison.Ordinal);
    }
}

public sealed class DotNetFrameworkCheckTests
{
    private static FakeHostFacts WithFramework(uint? release, bool net35 = true)
    {
        var host = Host();
        if (release is { } r)
        {
            host.FakeRegistry.Key(DotNetFrameworkCheck.V4FullKey, FakeRegistry.Dword("Release", r));
        }

        if (net35)
        {
            host.FakeRegistry.Key(DotNetFrameworkCheck.V35Key, FakeRegistry.Dword("Install", 1), FakeRegistry.Dword("SP", 1));
        }

        return host;
    }

    [Theory]
    [InlineData(528049u, TargetVersion.V2022, CheckStatus.Met, "4.8")]
    [InlineData(533320u, TargetVersion.V2025, CheckStatus.Met, "4.8.1")]
    [InlineData(460798u, TargetVersion.V2022, CheckStatus.Warning, "recommends 4.7.2")]
    [InlineData(378389u, TargetVersion.V2019, CheckStatus.Met, "4.5")]
    [InlineData(378388u, TargetVersion.V2022, CheckStatus.Unmet, "4.5 or later is not installed")]
    public async Task Reads_the_release_dword_newest_first(uint release, TargetVersion target, CheckStatus expected, string text)
    {
        var outcome = await Run(new DotNetFrameworkCheck(), WithFramework(release), target);
        Assert.Equal(expected, outcome.Status);
        Assert.Contains(text, outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_v4_full_key_means_no_framework_45()
    {
        var outcome = await Run(new DotNetFrameworkCheck(), WithFramework(null));
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        AssertEvidenceMentions(outcome, "key absent");
    }

    [Fact]
    public async Task Targets_up_to_2019_also_need_35_sp1()
    {
        var outcome = await Run(new DotNetFrameworkCheck(), WithFramework(528049, net35: false), TargetVersion.V2019);
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("3.5 SP1", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("NET-Framework-Core", outcome.Remediation, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Met, (await Run(new DotNetFrameworkCheck(), WithFramework(528049, net35: false), TargetVersion.V2022)).Status);
    }

    [Fact]
    public async Task A_key_the_snapshot_did_not_export_is_an_error_never_absent()
    {
        var host = WithFramework(null);
        host.FakeRegistry.KnownRoots.Clear();
        host.FakeRegistry.KnownRoots.Add(@"SOFTWARE\Microsoft\InetStp");
        var outcome = await Run(new DotNetFrameworkCheck(), host);
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("export", outcome.Detail, StringComparison.Ordinal);
    }
}

public sealed class AspNetCoreHostingBundleCheckTests
{
    [Theory]
    [InlineData("2022 RTM", "5.0.17", CheckStatus.Met)]
    [InlineData("2022 RTM", "6.0.36", CheckStatus.Warning)]
    [InlineData("2022 UR1", "5.0.17", CheckStatus.Unmet)]
    [InlineData("2022 UR1", "6.0.36", CheckStatus.Met)]
    [InlineData("2022 UR2", "8.0.11", CheckStatus.Warning)]
    [InlineData("2022 UR3", "8.0.11", CheckStatus.Met)]
    [InlineData("2022 UR3", "6.0.36", CheckStatus.Met)]
    [InlineData("2022 UR3", "5.0.17", CheckStatus.Unmet)]
    [InlineData("2022", "8.0.11", CheckStatus.Met)]
    [InlineData("2025", "8.0.11", CheckStatus.Met)]
    [InlineData("2025", "6.0.36", CheckStatus.Unmet)]
    [InlineData("2025", null, CheckStatus.Unmet)]
    [InlineData("2019", null, CheckStatus.Skipped)]
    public async Task Needs_a_major_the_target_update_level_documents(string target, string? installed, CheckStatus expected)
    {
        var host = Host();
        if (installed is not null)
        {
            host.DotNetRuntimes = [new DotNetRuntime("Microsoft.NETCore.App", installed), new DotNetRuntime("Microsoft.AspNetCore.App", installed)];
        }

        var outcome = await Run(new AspNetCoreHostingBundleCheck(), host, Level(target));
        Assert.Equal(expected, outcome.Status);
        if (expected is CheckStatus.Unmet or CheckStatus.Warning)
        {
            Assert.Contains("Hosting Bundle", outcome.Remediation, StringComparison.Ordinal);
        }
    }
}

public sealed class IisCheckTests
{
    [Fact]
    public async Task Inetstp_with_a_major_version_is_met()
    {
        var host = Host();
        host.FakeRegistry.Key(IisCheck.InetStpKey, FakeRegistry.Dword("MajorVersion", 10), FakeRegistry.Dword("MinorVersion", 0));
        var outcome = await Run(new IisCheck(), host);
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("IIS 10.0", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_inetstp_key_is_unmet()
    {
        var outcome = await Run(new IisCheck(), Host());
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("Web-Server", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inetstp_key_without_major_version_is_unmet()
    {
        var host = Host();
        host.FakeRegistry.Key(IisCheck.InetStpKey);
        Assert.Equal(CheckStatus.Unmet, (await Run(new IisCheck(), host)).Status);
    }

    [Fact]
    public async Task An_unexported_key_is_an_error()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();
        Assert.Equal(CheckStatus.Error, (await Run(new IisCheck(), host)).Status);
    }
}
