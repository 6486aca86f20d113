using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task SandboxCommand_ServesSqlAndWritesAConfig_ThatAPlainCheckRunsAgainst()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "ends the server with SIGINT via kill(2)");
        using var dir = new TempDirectory();
        // A password other than the default "sandbox": every secret is masked, and "sandbox" is also the environment's name.
        var env = new Dictionary<string, string?> { ["ORCHPREP_SANDBOX_PASSWORD"] = "E2e-Sbx-Pw", ["ORCHPREP_SANDBOX_USER"] = "e2e-sbx-user" };
        using var sandbox = Process.Start(OrchPrepProcess.StartInfo(dir.Path, env, "sandbox", "--scenario", "requirements-unmet"))!;
        try
        {
            // Bounded wait for the "Ready." line.
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            ready.CancelAfter(TimeSpan.FromSeconds(60));
            var printed = new List<string>();
            while (await sandbox.StandardOutput.ReadLineAsync(ready.Token) is { } line)
            {
                printed.Add(line);
                if (line.StartsWith("Ready.", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.Contains(printed, l => l.StartsWith("SQL Server: 127.0.0.1,", StringComparison.Ordinal));
            var check = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--config", "sandbox.orchprep.yml", "--environment", "sandbox", "--only", "requirements", "--format", "json");

            var registry = File.ReadAllBytes(Path.Combine(dir.Path, "orchprep-sandbox", "snapshots", "orch-ms01", "registry.reg"));
            Assert.Equal([0xFF, 0xFE], registry[..2]); // UTF-16LE with BOM, as reg export writes
            Assert.True(check.ExitCode == 1, check.ToString());
            // The SQL checks reached the served SQL Server (collation met), the host checks read the snapshots (unmet).
            Assert.Contains(("requirements.sql-collation", "sandbox"), ReportJson.Parse(check.StandardOutput).WithStatus("met"));

            // The served web service and the SQL Server both answer the runbooks checks, and agree.
            Assert.Contains(printed, l => l.StartsWith("Web service: http://127.0.0.1:", StringComparison.Ordinal));
            var runbooks = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--config", "sandbox.orchprep.yml", "--only", "runbooks", "--format", "json");
            Assert.True(runbooks.ExitCode == 0, runbooks.ToString());
            var met = ReportJson.Parse(runbooks.StandardOutput).WithStatus("met").ToList();
            Assert.Contains(("runbooks.sources-agree", "sandbox"), met);
            Assert.Contains(("runbooks.none-running", "sandbox"), met);
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task UnknownScenario_ExitsTwo_ListingTheScenarios()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=nope");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("requirements-unmet", run.StandardError, StringComparison.Ordinal);
    }
}
