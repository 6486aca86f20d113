using System.Diagnostics;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>A second, independent TDS client: FreeTDS's <c>tsql</c> (Debian package freetds-bin). Skipped unless
/// ORCHPREP_TEST_TSQL names the binary or <c>tsql</c> is on PATH. An unpacked package works without installing:
/// <c>apt-get download freetds-bin freetds-common libsybdb5 &amp;&amp; dpkg -x</c> each into one folder; the test adds
/// its <c>usr/lib/x86_64-linux-gnu</c> to LD_LIBRARY_PATH.</summary>
public sealed class SandboxSqlFreeTdsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TdsEncryptionMode.NotSupported, "7.4")]
    [InlineData(TdsEncryptionMode.LoginOnly, "7.4")]
    [InlineData(TdsEncryptionMode.NotSupported, "auto")]
    [InlineData(TdsEncryptionMode.Required, "7.4")]
    public async Task Tsql_logs_in_runs_a_query_and_sees_errors(TdsEncryptionMode encryption, string tdsVersion)
    {
        var tsql = FindTsql();
        if (tsql is null)
        {
            Assert.Skip("FreeTDS tsql not found: set ORCHPREP_TEST_TSQL to its path or put it on PATH");
        }

        await using var sql = await SandboxSqlFixture.StartAsync(encryption: encryption);

        var (exitCode, output) = await RunAsync(tsql, sql.Server.Port, tdsVersion, "SELECT @@VERSION\ngo\nSELECT DB_NAME()\ngo\nSELECT * FROM dbo.Nope\ngo\nexit\n");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Microsoft SQL Server 2022 (RTM-CU15) - 16.0.4135.4 (X64)", output, StringComparison.Ordinal);
        Assert.Contains("Orchestrator", output, StringComparison.Ordinal);
        Assert.Contains("Msg 208 (severity 16", output, StringComparison.Ordinal);
        Assert.Contains("Invalid object name 'dbo.Nope'.", output, StringComparison.Ordinal);
        Assert.Contains(sql.Server.Audit, r => r.Text.Trim() == "SELECT @@VERSION");
    }

    [Fact]
    public async Task Tsql_sees_the_errors_sql_server_parses_and_binds_with_and_exactly_the_selected_columns()
    {
        var tsql = FindTsql();
        if (tsql is null)
        {
            Assert.Skip("FreeTDS tsql not found: set ORCHPREP_TEST_TSQL to its path or put it on PATH");
        }

        await using var sql = await SandboxSqlFixture.StartAsync();
        var backup = sql.BackupPath("bad-option.bak");
        string[] batches =
        [
            "SELECT name FROM sys.databases WHERE name = N'msdb'", "SELECT nmae FROM sys.databases", "SELECT name FROM dbo.Nope", "EXEC dbo.sp_nothing",
            $"BACKUP DATABASE [Orchestrator] TO DISK = N'{backup}' WITH COPY_ONLY, FOOBAR", "SELECT 1/0", "SELECT FROM",
        ];

        var (exitCode, output) = await RunAsync(tsql, sql.Server.Port, "7.4", string.Concat(batches.Select(b => b + "\ngo\n")) + "exit\n");

        Assert.True(exitCode == 0, output);
        // One column: tsql prints the header, then each row, tab-separated.
        Assert.Matches(@"(?m)^name\r?\nmsdb\r?$", output.Replace("1> 2> ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("Msg 207 (severity 16", output, StringComparison.Ordinal);
        Assert.Contains("Invalid column name 'nmae'.", output, StringComparison.Ordinal);
        Assert.Contains("Msg 208 (severity 16", output, StringComparison.Ordinal);
        Assert.Contains("Msg 2812 (severity 16", output, StringComparison.Ordinal);
        Assert.Contains("Msg 155 (severity 15", output, StringComparison.Ordinal);
        Assert.Contains("'FOOBAR' is not a recognized BACKUP option.", output, StringComparison.Ordinal);
        Assert.Contains("Msg 8134 (severity 16", output, StringComparison.Ordinal);
        Assert.Contains("Msg 156 (severity 15", output, StringComparison.Ordinal);
        Assert.Contains("Incorrect syntax near the keyword 'FROM'.", output, StringComparison.Ordinal);
        Assert.False(File.Exists(backup));
        Assert.Empty(sql.Server.ConnectionFailures);
    }

    private static string? FindTsql()
    {
        if (Environment.GetEnvironmentVariable("ORCHPREP_TEST_TSQL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "tsql"))
            .FirstOrDefault(File.Exists);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tsql, int port, string tdsVersion, string input)
    {
        var start = new ProcessStartInfo(tsql)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "orchprep", "-P", SandboxSqlFixture.Password, "-D", "Orchestrator" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TDSVER"] = tdsVersion;
        // An unpacked .deb keeps libsybdb beside the binary: <root>/usr/bin/tsql, <root>/usr/lib/x86_64-linux-gnu.
        var libraries = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(tsql)!, "..", "lib", "x86_64-linux-gnu"));
        if (Directory.Exists(libraries))
        {
            start.Environment["LD_LIBRARY_PATH"] = libraries + Path.PathSeparator + Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("tsql did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
