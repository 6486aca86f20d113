using System.Runtime.Versioning;
using OrchUpgradePrep.Platform.HostFacts.Cim;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Cim;

/// <summary>Reads a real remote host over WinRM, so these run only where asked to: a Windows runner with
/// ORCHPREP_TEST_WINDOWS set and ORCHPREP_TEST_REMOTE_HOST naming a host where the running account is a local admin.</summary>
[SupportedOSPlatform("windows")]
public sealed class LiveCimHostFactsTests
{
    private const string SkipReason = "set ORCHPREP_TEST_WINDOWS=1 and ORCHPREP_TEST_REMOTE_HOST=<host> on a Windows machine to run";
    private const string CurrentVersionKey = @"SOFTWARE\Microsoft\Windows NT\CurrentVersion";

    [Fact]
    public async Task OperatingSystem_and_registry_build_agree()
    {
        using var facts = NewFacts();
        var os = await facts.GetOperatingSystemAsync(TestContext.Current.CancellationToken);
        var key = await facts.Registry.ReadKeyAsync(CurrentVersionKey, TestContext.Current.CancellationToken);

        Assert.StartsWith("Microsoft Windows", os.Caption, StringComparison.Ordinal);
        Assert.Equal(RegistryKeyPresence.Present, key.Presence);
        Assert.Equal(os.Build.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Value("CurrentBuild")?.Data);
        Assert.Equal(RegistryValueType.DWord, key.Value("UBR")?.Type);
    }

    [Fact]
    public async Task Made_up_key_is_absent()
    {
        using var facts = NewFacts();
        var key = await facts.Registry.ReadKeyAsync($@"SOFTWARE\OrchUpgradePrep.Tests\NoSuchKey-{Guid.NewGuid():N}", TestContext.Current.CancellationToken);

        Assert.Equal(RegistryKeyPresence.Absent, key.Presence);
    }

    [Fact]
    public async Task Hardware_volumes_services_processes_sessions_and_runtimes_can_be_read()
    {
        using var facts = NewFacts();
        var ct = TestContext.Current.CancellationToken;

        Assert.True((await facts.GetHardwareAsync(ct)).TotalPhysicalMemoryBytes > 0);
        Assert.NotEmpty(await facts.GetVolumesAsync(ct));
        Assert.Contains(await facts.GetServicesAsync(ct), s => string.Equals(s.Name, "WinRM", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(await facts.GetProcessesAsync(ct), p => p.UserName is not null);
        Assert.All(await facts.GetSessionsAsync(ct), s => Assert.Equal("Unknown", s.State));
        Assert.All(await facts.GetDotNetRuntimesAsync(ct), r => Assert.False(string.IsNullOrEmpty(r.Version)));
    }

    [Fact]
    public async Task Missing_namespace_is_told_apart()
    {
        using var facts = NewFacts();

        // No host has this namespace; a ConfigMgr check reads root\ccm the same way and calls it "not applicable".
        var queries = new CimSessionQueries(facts.HostName, new CimHostFactsOptions());
        var caller = new CimCaller(facts.HostName, queries, TimeSpan.FromSeconds(30), TimeProvider.System);
        var ex = await Assert.ThrowsAsync<HostFactsException>(() =>
            caller.QueryAsync(@"root\OrchUpgradePrepNoSuchNamespace", "SELECT * FROM __Namespace", "query __Namespace", TestContext.Current.CancellationToken));
        queries.Dispose();

        Assert.True(CimErrors.IsInvalidNamespace(ex), ex.Message);
    }

    private static CimHostFacts NewFacts()
    {
        var host = Environment.GetEnvironmentVariable("ORCHPREP_TEST_REMOTE_HOST");
        Assert.SkipUnless(
            OperatingSystem.IsWindows() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ORCHPREP_TEST_WINDOWS")) && !string.IsNullOrEmpty(host),
            SkipReason);
        return new CimHostFacts(host!);
    }
}
