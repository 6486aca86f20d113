using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// Clients other than SqlClient against the real <c>orchprep sandbox</c> process: pymssql (FreeTDS db-lib; it sends a
/// batch of SET options and a USE after login) and FreeTDS <c>tsql</c> (ct-lib). Each is skipped visibly when missing:
/// pymssql needs a Python where <c>import pymssql</c> works (Debian python3-pymssql; ORCHPREP_TEST_PYTHON picks one),
/// tsql needs ORCHPREP_TEST_TSQL or tsql on PATH (.ci/run unpacks it).
/// </summary>
public sealed class SandboxDriverClientsTests
{
    private const string Password = "E2e-Drv-Pw";

    private const string PymssqlScript = """
        import sys, pymssql
        conn = pymssql.connect(server="127.0.0.1", port=int(sys.argv[1]), user="orchprep", password=sys.argv[2],
                               database="Orchestrator", autocommit=True, login_timeout=10, timeout=20)
        cur = conn.cursor()
        cur.execute("SELECT name FROM sys.databases")
        print("databases:", ",".join(sorted(r[0] for r in cur.fetchall())))
        cur.execute("SELECT DB_NAME()")
        print("database:", cur.fetchone()[0])
        try:
            cur.execute("SET NO_SUCH_OPTION ON")
        except pymssql.Error as e:
            print("refused:", e.args[0], e.args[1].decode(errors="replace").splitlines()[0])
        conn.close()
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pymssql_logs_in_to_the_sandbox_and_queries()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "ends the server with SIGINT via kill(2)");
        var python = FindPython();
        Assert.SkipWhen(python is null, "no Python that can import pymssql: install python3-pymssql or set ORCHPREP_TEST_PYTHON");

        await WithSandboxAsync(async port =>
        {
            var run = await RunAsync(new ProcessStartInfo(python!) { ArgumentList = { "-c", PymssqlScript, port, Password } });

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("databases: Orchestrator,master,msdb", run.Output, StringComparison.Ordinal);
            Assert.Contains("database: Orchestrator", run.Output, StringComparison.Ordinal);
            Assert.Contains("refused: 195 'NO_SUCH_OPTION' is not a recognized SET option.", run.Output, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Tsql_logs_in_to_the_sandbox_and_queries()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "ends the server with SIGINT via kill(2)");
        var tsql = FindTsql();
        Assert.SkipWhen(tsql is null, "FreeTDS tsql not found: set ORCHPREP_TEST_TSQL to its path or put it on PATH");

        await WithSandboxAsync(async port =>
        {
            var start = new ProcessStartInfo(tsql!) { ArgumentList = { "-H", "127.0.0.1", "-p", port, "-U", "orchprep", "-P", Password, "-D", "Orchestrator" } };
            // An unpacked .deb keeps its libraries beside the binary: <root>/usr/bin/tsql, <root>/usr/lib/x86_64-linux-gnu.
            var libraries = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(tsql!)!, "..", "lib", "x86_64-linux-gnu"));
            if (Directory.Exists(libraries))
            {
                start.Environment["LD_LIBRARY_PATH"] = libraries + Path.PathSeparator + Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            }

            var run = await RunAsync(start, "SELECT name FROM sys.databases\ngo\nSET NO_SUCH_OPTION ON\ngo\nexit\n");

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("msdb", run.Output, StringComparison.Ordinal);
            Assert.Contains("Orchestrator", run.Output, StringComparison.Ordinal);
            Assert.Contains("Msg 195", run.Output, StringComparison.Ordinal);
            Assert.Contains("'NO_SUCH_OPTION' is not a recognized SET option.", run.Output, StringComparison.Ordinal);
        });
    }

    /// <summary>Starts <c>orchprep sandbox</c>, waits for "Ready.", hands the SQL port to <paramref name="use"/>, ends it with SIGINT.</summary>
    private static async Task WithSandboxAsync(Func<string, Task> use)
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["ORCHPREP_SANDBOX_PASSWORD"] = Password };
        using var sandbox = Process.Start(OrchPrepProcess.StartInfo(dir.Path, env, "sandbox"))!;
        try
        {
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            ready.CancelAfter(TimeSpan.FromSeconds(60));
            string? port = null;
            while (await sandbox.StandardOutput.ReadLineAsync(ready.Token) is { } line)
            {
                if (line.StartsWith("SQL Server: 127.0.0.1,", StringComparison.Ordinal))
                {
                    port = new string(line["SQL Server: 127.0.0.1,".Length..].TakeWhile(char.IsAsciiDigit).ToArray());
                }

                if (line.StartsWith("Ready.", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.False(string.IsNullOrEmpty(port), "the sandbox printed no SQL Server port");
            await use(port!);
        }
        finally
        {
            if (!sandbox.HasExited)
            {
                _ = Kill(sandbox.Id, 2);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await sandbox.WaitForExitAsync(exit.Token);
            }
        }

        Assert.Equal(0, sandbox.ExitCode);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, string? input = null)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
            }

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

    /// <summary>ORCHPREP_TEST_PYTHON, else python3 on PATH, else /usr/bin/python3 (a pyenv shim may hide the system one): the first that imports pymssql.</summary>
    private static string? FindPython()
    {
        var candidates = Environment.GetEnvironmentVariable("ORCHPREP_TEST_PYTHON") is { Length: > 0 } configured
            ? [configured]
            : new[] { "python3", "/usr/bin/python3" };
        foreach (var python in candidates)
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import pymssql"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
                if (probe is not null && probe.WaitForExit(TimeSpan.FromSeconds(20)) && probe.ExitCode == 0)
                {
                    return python;
                }

                probe?.Kill(entireProcessTree: true);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name.
            }
        }

        return null;
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
