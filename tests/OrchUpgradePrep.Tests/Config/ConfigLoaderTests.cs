using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using Xunit;
using static OrchUpgradePrep.Tests.Config.ConfigAssert;

namespace OrchUpgradePrep.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void ExampleFile_Parses_WithAnchorsAndMergeKeysResolved()
    {
        var path = RepositoryPaths.Of("examples/orchprep.yml");
        var config = new ConfigLoader(new System.IO.Abstractions.FileSystem()).Load(path);

        Assert.Equal(["dev", "test", "prod"], config.Environments.Keys);
        Assert.Equal(Path.GetFullPath(path), config.SourcePath);

        var test = config.Environments["test"];
        Assert.Equal("sql-test01.contoso.local,1433", test.Sql!.Server);
        Assert.Equal(SqlAuth.Sql, test.Sql.Auth);
        Assert.Equal("ORCHPREP_SQL_PASSWORD", test.Sql.PasswordEnv);
        Assert.False(test.Sql.TrustServerCertificate);
        Assert.Equal(@"\\backup01\orch\dev", test.Policies.Backup.Directory);

        var prod = config.Environments["prod"];
        Assert.Equal(TargetVersion.V2022, prod.Target);
        Assert.Equal(4, prod.Hosts.Count);
        Assert.Equal("snapshots/orch-rb02", prod.Hosts.Single(h => h.Name == "orch-rb02").Snapshot);
        Assert.Equal([HostRole.ManagementServer, HostRole.RunbookServer], prod.Hosts[0].Roles);
        Assert.Equal(DrainMode.Stop, prod.Policies.Drain.Mode);
        Assert.Equal(TimeSpan.FromHours(2), prod.Policies.Drain.Timeout);
        Assert.Equal(BackupCompression.On, prod.Policies.Backup.Compression);
        Assert.Equal(VerifyLevel.Restore, prod.Policies.Verify);
        Assert.Equal(new SkippedSignal("restart.pending-file-rename", "AV updater renames its files at every boot, see change 4711"), prod.Policies.Restart.Skip.Single());
    }

    [Fact]
    public void DesignDocumentExample_Parses_ToTheDocumentedValues()
    {
        var config = Parse(
            "environments:",
            "  prod:",
            "    target: \"2022\"",
            "    sql:",
            "      server: \"sql01.contoso.local,1433\"",
            "      database: Orchestrator",
            "      auth: integrated",
            "      user: orchprep",
            "      passwordEnv: ORCHPREP_SQL_PASSWORD",
            "      encrypt: mandatory",
            "      trustServerCertificate: false",
            "    webService:",
            "      url: http://orch-web01:81/Orchestrator2012/Orchestrator.svc/",
            "      auth: negotiate",
            "      userEnv: ORCHPREP_WS_USER",
            "      passwordEnv: ORCHPREP_WS_PASSWORD",
            "    hosts:",
            "      - name: orch-ms01",
            "        roles: [management-server, runbook-server]",
            "      - name: orch-web01",
            "        roles: [web-service, web-console]",
            "      - name: orch-rb02",
            "        roles: [runbook-server]",
            "        snapshot: snapshots/orch-rb02",
            "    policies:",
            "      drain: { mode: wait, timeout: 30m, pollInterval: 10s, monitors: stop }",
            "      backup: { directory: '\\\\backup01\\orch', stripes: 1, compression: auto, keep: 3 }",
            "      verify: verifyonly",
            "      restart:",
            "        skip: [ { id: restart.pending-file-rename, reason: \"AV updater, see change 4711\" } ]");

        var prod = config.Environments["prod"];
        Assert.Equal(SqlEncrypt.Mandatory, prod.Sql!.Encrypt);
        Assert.Equal(new Uri("http://orch-web01:81/Orchestrator2012/Orchestrator.svc/"), prod.WebService!.Url);
        Assert.Equal("ORCHPREP_WS_USER", prod.WebService.UserEnv);
        Assert.Equal(@"\\backup01\orch", prod.Policies.Backup.Directory);
        Assert.Equal(TimeSpan.FromSeconds(10), prod.Policies.Drain.PollInterval);
        Assert.Equal("AV updater, see change 4711", prod.Policies.Restart.Skip.Single().Reason);
    }

    [Fact]
    public void EnvironmentWithOnlyHosts_GetsTheDocumentedDefaults()
    {
        var env = Parse(
            "environments:",
            "  lab:",
            "    hosts:",
            "      - name: orch01",
            "        roles: [designer]").Environments["lab"];

        Assert.Null(env.Target);
        Assert.Null(env.Sql);
        Assert.Null(env.WebService);
        Assert.Equal(DrainMode.Wait, env.Policies.Drain.Mode);
        Assert.Equal(TimeSpan.FromMinutes(30), env.Policies.Drain.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), env.Policies.Drain.PollInterval);
        Assert.Equal(MonitorPolicy.Stop, env.Policies.Drain.Monitors);
        Assert.Null(env.Policies.Backup.Directory);
        Assert.Equal(1, env.Policies.Backup.Stripes);
        Assert.Equal(BackupCompression.Auto, env.Policies.Backup.Compression);
        Assert.Equal(3, env.Policies.Backup.Keep);
        Assert.Equal(VerifyLevel.Verifyonly, env.Policies.Verify);
        Assert.Empty(env.Policies.Restart.Skip);
    }

    [Fact]
    public void SqlWithOnlyServer_GetsTheDocumentedDefaults()
    {
        var sql = Parse("environments:", "  lab:", "    sql: { server: sql01 }").Environments["lab"].Sql!;

        Assert.Equal("Orchestrator", sql.Database);
        Assert.Equal(SqlAuth.Integrated, sql.Auth);
        Assert.Equal(SqlEncrypt.Mandatory, sql.Encrypt);
        Assert.False(sql.TrustServerCertificate);
        Assert.Null(sql.User);
        Assert.Null(sql.PasswordEnv);
    }

    [Fact]
    public void PartialPolicySection_KeepsDefaultsForTheOtherKeys()
    {
        var policies = Parse(
            "environments:",
            "  lab:",
            "    sql: { server: sql01 }",
            "    policies:",
            "      drain: { timeout: 1h30m }",
            "      backup: { stripes: 64, keep: 0 }").Environments["lab"].Policies;

        Assert.Equal(TimeSpan.FromMinutes(90), policies.Drain.Timeout);
        Assert.Equal(DrainMode.Wait, policies.Drain.Mode);
        Assert.Equal(64, policies.Backup.Stripes);
        Assert.Equal(0, policies.Backup.Keep);
        Assert.Equal(BackupCompression.Auto, policies.Backup.Compression);
    }

    [Theory]
    [InlineData("0s", 0)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    public void DrainTimeout_AcceptsTheDocumentedDurationForms(string text, int seconds)
    {
        var drain = Parse("environments:", "  lab:", "    sql: { server: s }", $"    policies: {{ drain: {{ timeout: {text} }} }}")
            .Environments["lab"].Policies.Drain;

        Assert.Equal(TimeSpan.FromSeconds(seconds), drain.Timeout);
    }

    [Theory]
    [InlineData("\"2022\"", TargetVersion.V2022)]
    [InlineData("2022", TargetVersion.V2022)]
    [InlineData("2012R2", TargetVersion.V2012R2)]
    public void Target_AcceptsQuotedAndUnquotedVersions(string text, TargetVersion expected)
    {
        var env = Parse("environments:", "  lab:", $"    target: {text}", "    sql: { server: s }").Environments["lab"];

        Assert.Equal(expected, env.Target);
    }

    [Fact]
    public void UpgradeAccount_IsRead_AndAbsentMeansTheAccountOrchprepRunsAs()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/cfg/orchprep.yml"] = new("environments:\n  lab:\n    sql: { server: sql01 }\n    policies: { upgradeAccount: 'CONTOSO\\svc-orchupgrade' }\n  dev:\n    sql: { server: sql01 }\n    policies: { verify: restore }\n"),
        });

        var config = new ConfigLoader(fs).Load("/cfg/orchprep.yml");

        Assert.Equal(@"CONTOSO\svc-orchupgrade", config.Environments["lab"].Policies.UpgradeAccount);
        Assert.Null(config.Environments["dev"].Policies.UpgradeAccount);
    }

    [Fact]
    public void ServiceStopTimeout_IsRead_AndAbsentMeansTwoMinutes()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/cfg/orchprep.yml"] = new("environments:\n  lab:\n    sql: { server: sql01 }\n    policies: { services: { stopTimeout: 5m } }\n  dev:\n    sql: { server: sql01 }\n"),
        });

        var config = new ConfigLoader(fs).Load("/cfg/orchprep.yml");

        Assert.Equal(TimeSpan.FromMinutes(5), config.Environments["lab"].Policies.Services.StopTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), config.Environments["dev"].Policies.Services.StopTimeout);
    }

    [Fact]
    public void Load_ReadsThroughTheInjectedFileSystem()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/cfg/orchprep.yml"] = new("environments:\n  lab:\n    sql: { server: sql01 }\n"),
        });

        var config = new ConfigLoader(fs).Load("/cfg/orchprep.yml");

        Assert.Equal("sql01", config.Environments["lab"].Sql!.Server);
        Assert.Equal(fs.Path.GetFullPath("/cfg/orchprep.yml"), config.SourcePath);
    }

    [Fact]
    public void Load_MissingFile_IsAConfigErrorNamingThePath()
    {
        var error = Assert.Throws<ConfigException>(() => new ConfigLoader(new MockFileSystem()).Load("/cfg/nope.yml"));

        Assert.Contains("/cfg/nope.yml", error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileLargerThanOneMebibyte_IsRejectedBeforeParsing()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/cfg/big.yml"] = new("# " + new string('x', (1024 * 1024) + 10)),
        });

        var error = Assert.Throws<ConfigException>(() => new ConfigLoader(fs).Load("/cfg/big.yml"));

        Assert.Contains("larger than 1024 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ErrorsNameTheFileAsGiven()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/cfg/orchprep.yml"] = new("environments:\n  lab:\n    sql: { server: sql01, color: red }\n"),
        });

        var error = Assert.Throws<ConfigException>(() => new ConfigLoader(fs).Load("/cfg/orchprep.yml"));

        Assert.StartsWith("/cfg/orchprep.yml(3,27): unknown key 'color'", error.Message, StringComparison.Ordinal);
    }
}
