using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsLoginTests
{
    [Fact]
    public async Task Plaintext_login_reports_server_version_and_master()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());
        await using var connection = await TdsTestServers.OpenAsync(server);

        Assert.Equal("16.00.1000", connection.ServerVersion);
        Assert.Equal("master", connection.Database);
    }

    [Fact]
    public async Task Database_in_the_connection_string_switches_the_session()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((request, response, ct) =>
            response.SendResultSetAsync([new TdsColumn("db", TdsColumnType.NVarChar(128))], [[request.Session.Database]], ct)));
        await using var connection = await TdsTestServers.OpenAsync(server, extra: "Initial Catalog=Orchestrator");
        await using var command = new SqlCommand("SELECT DB_NAME()", connection);

        Assert.Equal("Orchestrator", connection.Database);
        Assert.Equal("Orchestrator", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Wrong_password_fails_with_18456()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());
        await using var connection = new SqlConnection(TdsTestServers.ConnectionString(server, password: "wrong"));

        var error = await Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        Assert.Equal(18456, error.Number);
        Assert.Contains("Login failed for user 'orchprep'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Integrated_security_never_logs_in()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());
        var connectionString = $"Data Source=127.0.0.1,{server.Port};Integrated Security=true;Encrypt=Optional;Pooling=false;Connect Timeout=10";
        await using var connection = new SqlConnection(connectionString);

        // On Linux SqlClient gives up before LOGIN7 ("Cannot generate SSPI context"); the server-side
        // refusal (18456) is covered over a raw socket in TdsRawProtocolTests.
        await Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));
        Assert.Empty(server.Audit);
    }

    [Fact]
    public async Task Mandatory_encryption_works_against_required_mode()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo(), TdsEncryptionMode.Required);
        await using var connection = await TdsTestServers.OpenAsync(server, "Mandatory", "TrustServerCertificate=true");
        await using var command = new SqlCommand("SELECT 'over tls'", connection);

        Assert.Equal("SELECT 'over tls'", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Empty(server.ConnectionFailures);
    }

    [Fact]
    public async Task Optional_encryption_against_required_mode_encrypts_everything()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo(), TdsEncryptionMode.Required);
        await using var connection = new SqlConnection(TdsTestServers.ConnectionString(server, "Optional", extra: "TrustServerCertificate=true"));
        try
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
        }
        catch (SqlException error)
        {
            Assert.Fail(error.Message + " / server: " + string.Join(" | ", server.ConnectionFailures));
        }

        await using var command = new SqlCommand("SELECT 1", connection);

        Assert.Equal("SELECT 1", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Mandatory_encryption_fails_against_a_server_without_encryption()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo(), TdsEncryptionMode.NotSupported);
        await using var connection = new SqlConnection(TdsTestServers.ConnectionString(server, "Mandatory", extra: "TrustServerCertificate=true"));

        await Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Optional_encryption_works_against_login_only_mode()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo(), TdsEncryptionMode.LoginOnly);
        await using var connection = await TdsTestServers.OpenAsync(server, "Optional");
        await using var command = new SqlCommand("SELECT 'after login-only tls'", connection);

        Assert.Equal("SELECT 'after login-only tls'", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Empty(server.ConnectionFailures);
    }

    [Fact]
    public async Task Mandatory_encryption_against_login_only_mode_upgrades_to_full_tls()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo(), TdsEncryptionMode.LoginOnly);
        await using var connection = await TdsTestServers.OpenAsync(server, "Mandatory", "TrustServerCertificate=true");
        await using var command = new SqlCommand("SELECT 2", connection);

        Assert.Equal("SELECT 2", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Mandatory_encryption_without_trust_fails_certificate_validation()
    {
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo(), TdsEncryptionMode.Required);
        await using var connection = new SqlConnection(TdsTestServers.ConnectionString(server, "Mandatory"));

        await Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));
    }
}
