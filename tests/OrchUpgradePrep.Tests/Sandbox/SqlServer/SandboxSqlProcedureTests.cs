using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The Orchestrator procedures through the real SqlClient: positional calls work; a parameter name the
/// catalog does not hold (its names are unconfirmed) fails with 8145, an unknown procedure with 2812, as SQL Server says.</summary>
public sealed class SandboxSqlProcedureTests
{
    private const string CancelJob = "[Microsoft.SystemCenter.Orchestrator.Runtime].[CancelJob]";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData($"EXEC {CancelJob} @id, @sid")]
    [InlineData("EXECUTE [Microsoft.SystemCenter.Orchestrator.Runtime].CancelJob @id, N'S-1-5-500';")]
    [InlineData($"EXEC {CancelJob} @id, @UserSid = @sid")]
    public async Task CancelJob_by_position_cancels(string statement)
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(30));
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var job = world.Jobs().First(j => j.Status == "Running");

        await RunAsync(sql, statement, job.Id);

        Assert.Equal("Canceled", world.Job(job.Id)!.Status);
    }

    [Theory]
    [InlineData($"EXEC {CancelJob} @JobIdentifier = @id, @UserSid = @sid", 8145, "@JobIdentifier is not a parameter for procedure CancelJob.")]
    [InlineData($"EXEC {CancelJob} @JobId = @id, @Sid = @sid", 8145, "@Sid is not a parameter for procedure CancelJob.")]
    [InlineData($"EXEC {CancelJob} @id, @sid, 1", 8144, "Procedure or function CancelJob has too many arguments specified.")]
    [InlineData($"EXEC {CancelJob} @id", 201, "Procedure or function 'CancelJob' expects parameter '@UserSid', which was not supplied.")]
    [InlineData($"EXEC {CancelJob} @JobId = @id, @sid", 119, "Must pass parameter number 2 and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.")]
    [InlineData($"EXEC {CancelJob} @undeclared, @sid", 137, "Must declare the scalar variable \"@undeclared\".")]
    [InlineData("EXEC [Microsoft.SystemCenter.Orchestrator.Runtime].[StopEverything] @id", 2812, "Could not find stored procedure 'Microsoft.SystemCenter.Orchestrator.Runtime.StopEverything'.")]
    [InlineData("EXEC dbo.CancelJob @id, @sid", 2812, "Could not find stored procedure 'dbo.CancelJob'.")]
    [InlineData("EXEC [Microsoft.SystemCenter.Orchestrator.Runtime.Internal].[ClearOrphanedRunbookInstances] @id", 8144, "Procedure or function ClearOrphanedRunbookInstances has too many arguments specified.")]
    public async Task Calls_the_procedure_would_refuse_fail_with_its_error(string statement, int number, string message)
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(30));
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var job = world.Jobs().First(j => j.Status == "Running");

        var error = await Assert.ThrowsAsync<SqlException>(() => RunAsync(sql, statement, job.Id));

        Assert.Equal(number, error.Number);
        Assert.Equal(message, error.Message);
        Assert.Equal("Running", world.Job(job.Id)!.Status);
    }

    [Fact]
    public async Task The_procedures_exist_only_in_the_Orchestrator_database()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(30));
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        await using var connection = new SqlConnection(sql.ConnectionString(database: "master"));
        await connection.OpenAsync(Ct);
        await using var command = new SqlCommand("EXEC [Microsoft.SystemCenter.Orchestrator.Runtime.Internal].[ClearOrphanedRunbookInstances]", connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Equal(2812, error.Number);
        Assert.Equal("Could not find stored procedure 'Microsoft.SystemCenter.Orchestrator.Runtime.Internal.ClearOrphanedRunbookInstances'.", error.Message);
    }

    [Fact]
    public async Task A_hostile_exec_is_answered_quickly()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        // Doubled quotes and N prefixes that a backtracking parser could split many ways, ending in a quote left open.
        await using var command = new SqlCommand("EXEC dbo.p " + string.Concat(Enumerable.Repeat("N'a'''N, ", 2000)) + "'", connection) { CommandTimeout = 20 };

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.NotEqual(-2, error.Number);
    }

    private static async Task RunAsync(SandboxSqlFixture sql, string statement, Guid jobId)
    {
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(statement, connection);
        command.Parameters.AddWithValue("@id", jobId);
        command.Parameters.AddWithValue("@sid", "S-1-5-500");
        await command.ExecuteNonQueryAsync(Ct);
    }
}
