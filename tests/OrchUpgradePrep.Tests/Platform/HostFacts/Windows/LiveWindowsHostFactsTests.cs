using System.Runtime.Versioning;
using OrchUpgradePrep.Platform.HostFacts.Windows;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Windows;

/// <summary>Reads the real machine, so these run only where asked to (a Windows box with ORCHPREP_TEST_WINDOWS set).</summary>
[SupportedOSPlatform("windows")]
public sealed class LiveWindowsHostFactsTests
{
    private const string SkipReason = "set ORCHPREP_TEST_WINDOWS=1 on a Windows machine to run";
    private const string CurrentVersionKey = @"SOFTWARE\Microsoft\Windows NT\CurrentVersion";

    [Fact]
    public async Task OperatingSystem_reports_a_windows_caption_and_a_build()
    {
        SkipUnlessLiveWindows();
        var os = await NewFacts().GetOperatingSystemAsync(TestContext.Current.CancellationToken);

        Assert.True(os.Build > 0, $"build {os.Build}");
        Assert.StartsWith("Microsoft Windows", os.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hardware_reports_memory_and_cores()
    {
        SkipUnlessLiveWindows();
        var hardware = await NewFacts().GetHardwareAsync(TestContext.Current.CancellationToken);

        Assert.True(hardware.TotalPhysicalMemoryBytes > 0, $"memory {hardware.TotalPhysicalMemoryBytes}");
        Assert.True(hardware.CpuCores >= 1, $"cores {hardware.CpuCores}");
    }

    [Fact]
    public async Task Volumes_include_a_fixed_volume()
    {
        SkipUnlessLiveWindows();
        var volumes = await NewFacts().GetVolumesAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(volumes);
        Assert.All(volumes, v => Assert.True(v.SizeBytes > 0, $"{v.Name} size {v.SizeBytes}"));
    }

    [Fact]
    public async Task Registry_current_build_matches_the_os_build()
    {
        SkipUnlessLiveWindows();
        var facts = NewFacts();
        var os = await facts.GetOperatingSystemAsync(TestContext.Current.CancellationToken);

        var key = await facts.Registry.ReadKeyAsync(CurrentVersionKey, TestContext.Current.CancellationToken);

        Assert.Equal(RegistryKeyPresence.Present, key.Presence);
        var currentBuild = key.Value("CurrentBuild");
        Assert.NotNull(currentBuild);
        Assert.Equal(RegistryValueType.String, currentBuild.Type);
        Assert.Equal(os.Build.ToString(System.Globalization.CultureInfo.InvariantCulture), currentBuild.Data);
    }

    [Fact]
    public async Task Registry_made_up_key_is_absent()
    {
        SkipUnlessLiveWindows();
        var key = await NewFacts().Registry.ReadKeyAsync(
            $@"SOFTWARE\OrchUpgradePrep.Tests\NoSuchKey-{Guid.NewGuid():N}", TestContext.Current.CancellationToken);

        Assert.Equal(RegistryKeyPresence.Absent, key.Presence);
        Assert.Empty(key.Values);
    }

    [Fact]
    public async Task Processes_include_this_process()
    {
        SkipUnlessLiveWindows();
        var processes = await NewFacts().GetProcessesAsync(TestContext.Current.CancellationToken);

        Assert.Contains(processes, p => p.ProcessId == Environment.ProcessId);
    }

    [Fact]
    public async Task Services_include_the_event_log()
    {
        SkipUnlessLiveWindows();
        var services = await NewFacts().GetServicesAsync(TestContext.Current.CancellationToken);

        Assert.Contains(services, s => string.Equals(s.Name, "EventLog", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Sessions_and_runtimes_can_be_listed()
    {
        SkipUnlessLiveWindows();
        var facts = NewFacts();

        var sessions = await facts.GetSessionsAsync(TestContext.Current.CancellationToken);
        var runtimes = await facts.GetDotNetRuntimesAsync(TestContext.Current.CancellationToken);

        Assert.All(sessions, s => Assert.False(string.IsNullOrEmpty(s.State)));
        Assert.All(runtimes, r => Assert.False(string.IsNullOrEmpty(r.Version)));
    }

    private static LiveWindowsHostFacts NewFacts() =>
        new(TimeSpan.FromSeconds(LiveWindowsHostFacts.DefaultQueryTimeoutSeconds));

    private static void SkipUnlessLiveWindows() =>
        Assert.SkipUnless(
            OperatingSystem.IsWindows() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ORCHPREP_TEST_WINDOWS")),
            SkipReason);
}
