using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

public sealed class ConfigOverridesTests
{
    private static readonly EnvironmentConfig FromFile = new()
    {
        Name = "prod",
        Target = TargetVersion.V2019,
        Hosts = [new HostConfig { Name = "orch01", Roles = [HostRole.Designer] }],
        Policies = new PoliciesConfig
        {
            Drain = new DrainPolicy { Mode = DrainMode.Wait, Timeout = TimeSpan.FromMinutes(30), PollInterval = TimeSpan.FromSeconds(5) },
            Backup = new BackupPolicy { Directory = @"\\backup01\orch", Stripes = 4 },
            Verify = VerifyLevel.Verifyonly,
        },
    };

    [Fact]
    public void NoOverrides_ReturnAnEqualEnvironment()
    {
        Assert.Equal(FromFile, ConfigOverrides.Apply(FromFile, RunOverrides.None));
    }

    [Fact]
    public void EveryOverride_WinsOverTheFile_AndOtherSettingsAreKept()
    {
        var result = ConfigOverrides.Apply(FromFile, new RunOverrides(
            Target: TargetVersion.V2025,
            Drain: DrainMode.Stop,
            DrainTimeout: TimeSpan.FromHours(2),
            BackupDirectory: @"D:\backup",
            Verify: VerifyLevel.Restore));

        Assert.Equal(TargetVersion.V2025, result.Target);
        Assert.Equal(DrainMode.Stop, result.Policies.Drain.Mode);
        Assert.Equal(TimeSpan.FromHours(2), result.Policies.Drain.Timeout);
        Assert.Equal(@"D:\backup", result.Policies.Backup.Directory);
        Assert.Equal(VerifyLevel.Restore, result.Policies.Verify);

        Assert.Equal(TimeSpan.FromSeconds(5), result.Policies.Drain.PollInterval);
        Assert.Equal(4, result.Policies.Backup.Stripes);
        Assert.Same(FromFile.Hosts, result.Hosts);
    }

    [Fact]
    public void Apply_DoesNotChangeItsInput()
    {
        _ = ConfigOverrides.Apply(FromFile, new RunOverrides(Drain: DrainMode.Stop, BackupDirectory: "E:\\b"));

        Assert.Equal(DrainMode.Wait, FromFile.Policies.Drain.Mode);
        Assert.Equal(@"\\backup01\orch", FromFile.Policies.Backup.Directory);
    }

    [Fact]
    public void TargetOverride_FillsAnEnvironmentWithoutTarget()
    {
        var result = ConfigOverrides.Apply(FromFile with { Target = null }, new RunOverrides(Target: TargetVersion.V2022));

        Assert.Equal(TargetVersion.V2022, result.Target);
    }

    [Fact]
    public void NegativeDrainTimeout_IsAConfigError()
    {
        Assert.Throws<ConfigException>(() => ConfigOverrides.Apply(FromFile, new RunOverrides(DrainTimeout: TimeSpan.FromSeconds(-1))));
    }

    [Fact]
    public void BlankBackupDirectory_IsAConfigError()
    {
        Assert.Throws<ConfigException>(() => ConfigOverrides.Apply(FromFile, new RunOverrides(BackupDirectory: "  ")));
    }
}
