using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>
/// Every grant of docs/sql-permissions.md's script is needed and named: with the whole script backup.permissions'
/// judgement has nothing to add but the optional CONTROL SERVER; with one grant removed it names that grant as the
/// statement to run (unmet; a warning for VIEW SERVER STATE, without which only the free-space reading is lost), and
/// without the Orchestrator database's user the login itself fails, naming the CREATE USER.
/// </summary>
public sealed class LeastPrivilegeGrantsTests
{
    private const string Login = @"CONTOSO\svc-orchprep";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyList<SandboxSecurityStatement> Script => SandboxPermissionScript.Parse(SandboxLeastPrivilege.Script());

    /// <summary>Positions of the grants in the script (CREATE USER appears twice with the same text, in two databases).</summary>
    public static TheoryData<int> Grants()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Script.Count; i++)
        {
            if (Script[i].IsGrant)
            {
                data.Add(i);
            }
        }

        return data;
    }

    [Fact]
    public async Task With_the_whole_script_only_the_optional_control_server_is_missing()
    {
        var outcome = await JudgeAsync(null);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Equal("The login can back up and verify the database but not the service master key (needs CONTROL SERVER).", outcome.Detail);
        Assert.DoesNotContain(outcome.Evidence, e => e.Source.StartsWith("missing grant", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Grants))]
    public async Task Each_grant_removed_is_named(int position)
    {
        Assert.Equal(18, Grants().Count); // 2 CREATE USER, 1 sp_addrolemember, 2 server grants, 13 object grants: the test sees them all
        var statement = Script[position];
        var grant = statement.Text;
        if (statement is { Verb: SandboxSecurityVerb.CreateUser, Database: "Orchestrator" })
        {
            var refused = await Assert.ThrowsAsync<SqlSessionException>(() => JudgeAsync(position));
            Assert.Equal(4060, refused.Number);
            Assert.Contains($"USE [Orchestrator]; CREATE USER [{Login}] FOR LOGIN [{Login}];", refused.Message, StringComparison.Ordinal);
            return;
        }

        var outcome = await JudgeAsync(position);

        Assert.Equal(statement.What == "VIEW SERVER STATE" ? CheckStatus.Warning : CheckStatus.Unmet, outcome.Status);
        var expected = statement.Verb == SandboxSecurityVerb.CreateUser
            ? $"USE [{statement.Database}]; CREATE USER [{Login}] FOR LOGIN [{Login}];"
            : $"USE [{statement.Database}]; {grant};";
        Assert.Contains(expected, Normalize(outcome.Remediation), StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source.StartsWith("missing grant", StringComparison.Ordinal) && Normalize(e.Value) == expected);
    }

    /// <summary>backup.permissions' judgement (check mode and prepare share it) against a sandbox whose login has the script minus <paramref name="without"/>.</summary>
    private static async Task<CheckOutcome> JudgeAsync(int? without)
    {
        var script = SandboxLeastPrivilege.Render(Script.Where((_, i) => i != without));
        await using var sql = await SandboxSqlFixture.StartAsync(
            new SandboxSqlProfile { UsedDataBytes = 1L << 20, DelayPerChunk = TimeSpan.Zero, SecurityScript = script }, login: Login);
        var connector = sql.Connector();
        await using var session = await connector.OpenAsync(Ct);
        var preflight = await BackupPreflight.ReadAsync(session, sql.Config(), Ct);
        return BackupJudgements.Permissions(preflight, VerifyLevel.Restore, connector.Description);
    }

    /// <summary>The script aligns its lines with blanks; the product writes one blank.</summary>
    private static string Normalize(string? text) => System.Text.RegularExpressions.Regex.Replace(text ?? string.Empty, " {2,}", " ");
}
