using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class IntegrationPacksCheckTests
{
    private static readonly Guid AdPack = new("c1a9e3f0-2019-4d11-8a01-00000000ad19");
    private static readonly Guid ExchangePack = new("c1a9e3f0-2022-4d11-8a01-00000000ea22");
    private static readonly Guid AdType = new("d0000000-0000-4000-8000-0000000ad001");
    private static readonly Guid ExchangeType = new("d0000000-0000-4000-8000-0000000ea001");
    private static readonly Guid Maintenance = new("7a000001-0000-4000-8000-000000000001");
    private static readonly Guid Nightly = new("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a01");
    private static readonly Guid NewVm = new("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a02");

    private static SqlRow Column(string table, string column) => FakeSqlConnector.Row(("TABLE_NAME", table), ("COLUMN_NAME", column));

    private static IEnumerable<SqlRow> Columns(string table, params string[] columns) => columns.Select(c => Column(table, c));

    /// <summary>A database with CAPS, the usage tables (unless <paramref name="usage"/> is false) and the given packs.</summary>
    private static FakeSqlConnector Database(bool usage = true, params (Guid Id, string Name, string Version)[] packs)
    {
        var columns = Columns("CAPS", "UniqueID", "Name", "Version").ToList();
        if (usage)
        {
            columns.AddRange(Columns("OBJECTTYPES", "UniqueID", "Name", "PrimaryGroup"));
            columns.AddRange(Columns("OBJECTS", "UniqueID", "ParentID", "Name", "ObjectType"));
            columns.AddRange(Columns("POLICIES", "UniqueID", "ParentID", "Name"));
            columns.AddRange(Columns("FOLDERS", "UniqueID", "ParentID", "Name"));
        }

        return new FakeSqlConnector()
            .Answer("INFORMATION_SCHEMA.COLUMNS", [.. columns])
            .Answer("FROM dbo.CAPS", [.. packs.Select(p => FakeSqlConnector.Row(("UniqueID", p.Id), ("Name", p.Name), ("Version", p.Version)))])
            .Answer("FROM dbo.OBJECTTYPES",
                FakeSqlConnector.Row(("UniqueID", AdType), ("Name", "Create User"), ("PrimaryGroup", AdPack)),
                FakeSqlConnector.Row(("UniqueID", ExchangeType), ("Name", "Send Mail"), ("PrimaryGroup", ExchangePack)))
            .Answer("FROM dbo.OBJECTS",
                FakeSqlConnector.Row(("UniqueID", Guid.NewGuid()), ("ParentID", Nightly), ("Name", "Disable User"), ("ObjectType", AdType)),
                FakeSqlConnector.Row(("UniqueID", Guid.NewGuid()), ("ParentID", NewVm), ("Name", "Create User"), ("ObjectType", AdType)),
                FakeSqlConnector.Row(("UniqueID", Guid.NewGuid()), ("ParentID", NewVm), ("Name", "Run .Net Script"), ("ObjectType", Guid.NewGuid())))
            .Answer("FROM dbo.POLICIES",
                FakeSqlConnector.Row(("UniqueID", Nightly), ("ParentID", Maintenance), ("Name", "Nightly cleanup")),
                FakeSqlConnector.Row(("UniqueID", NewVm), ("ParentID", null), ("Name", "New VM request")))
            .Answer("FROM dbo.FOLDERS", FakeSqlConnector.Row(("UniqueID", Maintenance), ("ParentID", null), ("Name", "Maintenance")));
    }

    private static FakeHostFacts Host(params (Guid Id, string Name)[] deployed)
    {
        var host = RequirementFixtures.Host().WithOrchestrator("10.19.126.0");
        host.FakeRegistry.Key(IntegrationPacksCheck.DeployedKey32);
        foreach (var (id, name) in deployed)
        {
            host.FakeRegistry.Key($@"{IntegrationPacksCheck.DeployedKey32}\{{{id}}}", FakeRegistry.Sz("Name", name));
        }

        return host;
    }

    private static async Task<CheckOutcome> Run(ISqlConnector? sql, IHostFacts host, TargetVersion target = TargetVersion.V2022) =>
        await new IntegrationPacksCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = target, Sql = sql is null ? null : new SqlConfig { Server = "sql01" } },
                Target = target,
                Host = new HostConfig { Name = host.HostName, Roles = [HostRole.RunbookServer] },
                HostFacts = host,
                Time = TimeProvider.System,
                Sql = sql,
            },
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_2019_pack_is_unmet_for_a_2022_target_naming_the_runbooks_that_use_it()
    {
        var sql = Database(true, (AdPack, "Active Directory", "10.19.25.0"), (ExchangePack, "Exchange Admin", "10.22.1.0"));

        var outcome = await Run(sql, Host((AdPack, "Active Directory"), (ExchangePack, "Exchange Admin")));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(@"Active Directory 10.19.25.0 (used by 2: \Maintenance\Nightly cleanup, \New VM request)", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Exchange Admin", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("Orchestrator 2019 IPs aren't supported on Orchestrator 2022", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value == "Exchange Admin 10.22.1.0 (built for 2022); used by no runbook; deployed here");
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("2019 UR3", StringComparison.Ordinal));
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_pack_is_met_for_a_2019_target()
    {
        var outcome = await Run(Database(true, (AdPack, "Active Directory", "10.19.25.0")), Host((AdPack, "Active Directory")), TargetVersion.V2019);
        Assert.Equal(CheckStatus.Met, outcome.Status);
    }

    [Fact]
    public async Task Packs_built_for_2022_are_met_and_no_pack_is_met()
    {
        Assert.Equal(CheckStatus.Met, (await Run(Database(true, (ExchangePack, "Exchange Admin", "10.22.1.0")), Host((ExchangePack, "Exchange Admin")), TargetVersion.V2025)).Status);
        var none = await Run(Database(true), Host());
        Assert.Equal(CheckStatus.Met, none.Status);
        Assert.Contains("No integration pack is registered", none.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_third_party_version_is_a_warning_not_a_pass_or_a_fail()
    {
        var vendor = Guid.NewGuid();
        var outcome = await Run(Database(true, (vendor, "Contoso Ticketing", "3.2.0.0")), Host((vendor, "Contoso Ticketing")));
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("Contoso Ticketing 3.2.0.0", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_used_pack_not_deployed_on_this_runbook_server_is_a_warning()
    {
        var outcome = await Run(Database(true, (ExchangePack, "Exchange Admin", "10.22.1.0"), (AdPack, "Active Directory", "10.22.3.0")), Host((ExchangePack, "Exchange Admin")));
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("Active Directory 10.22.3.0 is used by runbooks but not deployed on this runbook server", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_usage_tables_the_packs_are_still_judged_and_usage_is_unknown()
    {
        var sql = Database(false, (AdPack, "Active Directory", "10.19.25.0"));

        var outcome = await Run(sql, Host((AdPack, "Active Directory")));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("used by: unknown", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("dbo.OBJECTTYPES: not found", StringComparison.Ordinal));
        Assert.DoesNotContain(sql.Received, q => q.Contains("FROM dbo.OBJECTS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_caps_table_is_an_error_naming_it()
    {
        var sql = new FakeSqlConnector().Answer("INFORMATION_SCHEMA.COLUMNS", [.. Columns("POLICIES", "UniqueID", "Name")]);

        var outcome = await Run(sql, Host());

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("dbo.CAPS not found", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(sql.Received, q => q.Contains("FROM dbo.CAPS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_query_is_an_error()
    {
        var sql = new FakeSqlConnector { FailOpen = new SqlSessionException("The SELECT permission was denied on the object 'CAPS'.", [new SqlMessage(229, 14, 5, "denied")]) };
        var outcome = await Run(sql, Host());
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value == "permission denied (Msg 229)");
    }

    [Fact]
    public async Task A_host_whose_ips_key_is_not_exported_leaves_deployment_unknown()
    {
        var host = RequirementFixtures.Host().WithOrchestrator("10.22.10.2");
        host.FakeRegistry.KnownRoots.Clear();
        host.FakeRegistry.KnownRoots.Add(@"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall");
        host.FakeRegistry.KnownRoots.Add(@"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall");

        var outcome = await Run(Database(true, (ExchangePack, "Exchange Admin", "10.22.1.0")), host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("not exported", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("deployment here unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_sql_it_is_skipped()
    {
        Assert.Equal(CheckStatus.Skipped, (await Run(null, Host())).Status);
    }
}
