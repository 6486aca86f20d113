using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>BACKUP [SERVICE] MASTER KEY passwords meet the Windows complexity policy, as on a real SQL Server.</summary>
public sealed class SandboxPasswordPolicyTests
{
    private const string Expected15118 = "Password validation failed. The password does not meet the operating system policy requirements because it is not complex enough.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("a")]
    [InlineData("Ab1!xyz")] // 7 characters
    [InlineData("password")] // one class
    [InlineData("PASSWORD1")] // two classes
    [InlineData("passw0rd")] // two classes
    [InlineData("password!")] // two classes
    [InlineData("My-orchprep-1")] // contains the login name
    [InlineData("My-ORCHPREP-1")] // case-insensitive
    [InlineData("ÄÖÜäöü中文字")] // upper and lower only; letters without case count in no class
    public void Weak_passwords_are_refused(string password) =>
        Assert.False(SandboxPasswordPolicy.IsComplexEnough(password, SandboxSqlServerOptions.DefaultLogin), password);

    [Theory]
    [InlineData("Passw0rd", "orchprep")] // upper, lower, digit
    [InlineData("passw0rd!", "orchprep")] // lower, digit, symbol
    [InlineData("PASSW0RD!", "orchprep")] // upper, digit, symbol
    [InlineData("Pass word!", "orchprep")] // upper, lower, symbol (space)
    [InlineData("Leak+Me/7\"q=&ésmk", "orchprep")]
    [InlineData("My-sa-Pass1", "sa")] // names shorter than 3 characters are not checked
    [InlineData("Svc-Orch-2025!", @"CONTOSO\svc-orchprep")] // only the account part counts, and only as a whole
    public void Strong_passwords_pass(string password, string login) =>
        Assert.True(SandboxPasswordPolicy.IsComplexEnough(password, login), password);

    [Fact]
    public void The_account_part_of_a_domain_login_is_checked() =>
        Assert.False(SandboxPasswordPolicy.IsComplexEnough("x-Svc-OrchPrep-1", @"CONTOSO\svc-orchprep"));

    [Fact]
    public async Task A_weak_service_master_key_password_is_refused_with_15118_and_nothing_is_written()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var weak = new SqlCommand(BackupQueries.BackupServiceMasterKey(sql.BackupPath("weak.smk"), "a"), connection);
        await using var named = new SqlCommand(BackupQueries.BackupServiceMasterKey(sql.BackupPath("named.smk"), "Orchprep-2025"), connection);
        await using var strong = new SqlCommand(BackupQueries.BackupServiceMasterKey(sql.BackupPath("strong.smk"), "Key-Passw0rd"), connection);

        var refused = await Assert.ThrowsAsync<SqlException>(() => weak.ExecuteNonQueryAsync(Ct));
        var containsLogin = await Assert.ThrowsAsync<SqlException>(() => named.ExecuteNonQueryAsync(Ct));
        await strong.ExecuteNonQueryAsync(Ct);

        Assert.Equal(15118, refused.Number);
        Assert.Equal(16, refused.Class);
        Assert.Equal(Expected15118, refused.Errors[0].Message);
        Assert.Equal(15118, containsLogin.Number);
        Assert.False(File.Exists(sql.BackupPath("weak.smk")));
        Assert.False(File.Exists(sql.BackupPath("named.smk")));
        Assert.True(File.Exists(sql.BackupPath("strong.smk")));
    }

    [Fact]
    public async Task A_database_master_key_backup_checks_the_password_and_never_pretends_to_succeed()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var weak = new SqlCommand($"BACKUP MASTER KEY TO FILE = N'{sql.BackupPath("weak.dmk")}' ENCRYPTION BY PASSWORD = N'short'", connection);
        await using var strong = new SqlCommand($"BACKUP MASTER KEY TO FILE = N'{sql.BackupPath("strong.dmk")}' ENCRYPTION BY PASSWORD = N'Key-Passw0rd'", connection);

        var refused = await Assert.ThrowsAsync<SqlException>(() => weak.ExecuteNonQueryAsync(Ct));
        var noKey = await Assert.ThrowsAsync<SqlException>(() => strong.ExecuteNonQueryAsync(Ct));

        Assert.Equal(15118, refused.Number);
        Assert.Equal(Expected15118, refused.Errors[0].Message);
        // The simulated databases hold no master key: SQL Server's answer for that, not a fabricated file.
        Assert.Equal(15581, noKey.Number);
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory, "*.dmk"));
    }
}
