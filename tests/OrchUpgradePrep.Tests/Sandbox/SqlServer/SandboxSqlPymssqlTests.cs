using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>A third client: pymssql (FreeTDS db-lib). It sends a batch of SET options and a USE after login; the
/// sandbox must take them as SQL Server does. Skipped unless a Python can import pymssql (see <see cref="Pymssql"/>).</summary>
public sealed class SandboxSqlPymssqlTests
{
    private const string Script = """
        import sys, pymssql
        conn = pymssql.connect(server="127.0.0.1", port=int(sys.argv[1]), user="orchprep", password=sys.argv[2],
                               database="Orchestrator", autocommit=True, login_timeout=10, timeout=20)
        cur = conn.cursor()
        cur.execute("SELECT name FROM sys.databases")
        print("databases:", ",".join(sorted(r[0] for r in cur.fetchall())))
        try:
            cur.execute("SET NO_SUCH_OPTION ON")
        except pymssql.Error as e:
            print("refused:", e.args[0], e.args[1].decode(errors="replace").splitlines()[0])
        conn.close()
        """;

    /// <summary>pymssql's connection setup batch as received (also in docs/sandbox-sql-sessions.md).</summary>
    internal const string PymssqlSessionBatch =
        "SET ARITHABORT ON;SET CONCAT_NULL_YIELDS_NULL ON;SET ANSI_NULLS ON;SET ANSI_NULL_DFLT_ON ON;SET ANSI_PADDING ON;SET ANSI_WARNINGS ON;" +
        "SET ANSI_NULL_DFLT_ON ON;SET CURSOR_CLOSE_ON_COMMIT ON;SET QUOTED_IDENTIFIER ON;SET TEXTSIZE 2147483647;";

    /// <summary>Each statement's error number (or its column count), one line each.</summary>
    private const string ErrorsScript = """
        import sys, pymssql
        conn = pymssql.connect(server="127.0.0.1", port=int(sys.argv[1]), user="orchprep", password=sys.argv[2],
                               database="Orchestrator", autocommit=True, login_timeout=10, timeout=20)
        cur = conn.cursor()
        for sql in sys.argv[3:]:
            try:
                cur.execute(sql)
                rows = cur.fetchall()
                print("columns:", len(cur.description), "rows:", len(rows))
            except pymssql.Error as e:
                # db-lib appends its own "DB-Lib error message …" lines to the server's message.
                print("error:", e.args[0], e.args[1].decode(errors="replace").split("DB-Lib error")[0].splitlines()[0])
        conn.close()
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pymssql_sees_the_errors_sql_server_parses_and_binds_with_and_exactly_the_selected_columns()
    {
        var python = Pymssql.FindPython();
        if (python is null)
        {
            Assert.Skip("no Python with pymssql: install python3-pymssql or set ORCHPREP_TEST_PYTHON");
        }

        await using var sql = await SandboxSqlFixture.StartAsync();
        var backup = sql.BackupPath("bad-option.bak");

        var (exitCode, output) = await Pymssql.RunAsync(python, ErrorsScript, Ct, sql.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), SandboxSqlFixture.Password,
            "SELECT name FROM sys.databases", "SELECT nmae FROM sys.databases", "SELECT name FROM dbo.Nope", "EXEC dbo.sp_nothing",
            $"BACKUP DATABASE [Orchestrator] TO DISK = N'{backup}' WITH COPY_ONLY, FOOBAR", "SELECT 1/0", "SELECT FROM");

        Assert.True(exitCode == 0, output);
        Assert.Equal(
            [
                "columns: 1 rows: 3",
                "error: 207 Invalid column name 'nmae'.",
                "error: 208 Invalid object name 'dbo.Nope'.",
                "error: 2812 Could not find stored procedure 'dbo.sp_nothing'.",
                "error: 155 'FOOBAR' is not a recognized BACKUP option.",
                "error: 8134 Divide by zero error encountered.",
                "error: 156 Incorrect syntax near the keyword 'FROM'.",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.False(File.Exists(backup));
    }

    [Theory]
    [InlineData(TdsEncryptionMode.NotSupported)]
    [InlineData(TdsEncryptionMode.LoginOnly)]
    public async Task Pymssql_logs_in_with_its_session_options_and_queries(TdsEncryptionMode encryption)
    {
        var python = Pymssql.FindPython();
        if (python is null)
        {
            Assert.Skip("no Python with pymssql: install python3-pymssql or set ORCHPREP_TEST_PYTHON");
        }

        await using var sql = await SandboxSqlFixture.StartAsync(encryption: encryption);

        var (exitCode, output) = await Pymssql.RunAsync(python, Script, Ct, sql.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), SandboxSqlFixture.Password);

        var received = string.Join("\n", sql.Server.Audit.Select(r => r.Text));
        Assert.True(exitCode == 0, output + "\nreceived:\n" + received);
        Assert.Contains("databases: Orchestrator,master,msdb", output, StringComparison.Ordinal);
        Assert.Contains("refused: 195 'NO_SUCH_OPTION' is not a recognized SET option.", output, StringComparison.Ordinal);
        // What pymssql 2.2 (FreeTDS 1.3 db-lib) sends after login, captured here: one batch of SETs, then USE.
        Assert.Equal(PymssqlSessionBatch, sql.Server.Audit[0].Text);
        Assert.Equal("use [Orchestrator]", sql.Server.Audit[1].Text);
        var options = sql.Server.Audit[0].Session.Options;
        Assert.Equal("ON", options["QUOTED_IDENTIFIER"]);
        Assert.Equal("2147483647", options["TEXTSIZE"]);
        Assert.Null(options["NO_SUCH_OPTION"]);
        Assert.Equal("Orchestrator", sql.Server.Audit[2].Session.Database);
    }
}
