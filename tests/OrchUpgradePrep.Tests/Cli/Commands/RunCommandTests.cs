using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using System.Text.Json;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>The prepare command in-process against the sandbox (as Program.cs runs it), for what only the command decides.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-run-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Ctrl_C_while_closing_programs_starts_no_runbook_step_and_no_backup()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // Ctrl+C the moment the Designer is about to be asked to close.
        using var stderr = new CancellingWriter("orchprep: close-programs: closing", cts);
        using var stdout = new StringWriter();
        SandboxSession? session = null;
        var sandbox = Path.Combine(_work.FullName, "sandbox");
        var output = Path.Combine(_work.FullName, "out");
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = _ => null,
            FileSystem = new FileSystem(),
            CurrentDirectory = _work.FullName,
            Time = TimeProvider.System,
            LocalMachineName = "test-runner",
        };

        var exit = await OrchPrepCli.RunAsync(["prepare", "--sandbox=programs-open", "--close-programs", "--format", "json", "--output", output], environment, cts.Token,
            new KeptSandboxLauncher(sandbox, started => session = started));

        Assert.True(exit == 130, $"exit {exit}\n{stderr}");
        Assert.NotNull(session);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement;
        Assert.Equal("cancelled", report.GetProperty("outcome").GetString());
        var actions = report.GetProperty("actions").EnumerateArray()
            .Select(a => (Kind: a.GetProperty("kind").GetString(), Outcome: a.GetProperty("outcome").GetString(), Detail: a.GetProperty("detail").GetString())).ToList();
        Assert.Equal(("close-program", "cancelled"), (actions[0].Kind, actions[0].Outcome));
        Assert.Contains(actions, a => a is { Kind: "runbook-stop", Outcome: "skipped" } && a.Detail!.Contains("cancelled while closing programs", StringComparison.Ordinal));
        Assert.Contains(actions, a => a is { Kind: "backup", Outcome: "skipped" });
        Assert.DoesNotContain(actions, a => a.Kind is "block-starts" or "clear-orphans" || (a.Kind == "runbook-stop" && a.Outcome != "skipped"));
        Assert.Empty(report.GetProperty("checks").EnumerateArray());

        // The drain never started: no state file, no job stopped, no service changed, nothing written to SQL Server.
        Assert.DoesNotContain("draining runbooks", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "prepare-state.json")));
        Assert.Empty(session.Orchestrator.Changes);
        Assert.All(session.Environment.Hosts.SelectMany(h => session.Orchestrator.Services(h.Name)), s => Assert.True(s.Running, $"{s.Host}/{s.Name}"));
        Assert.Empty(SandboxSqlAudit.Writes(session.SqlServer.Audit));
        Assert.DoesNotContain(session.WebService?.Audit ?? [], r => r.IsWrite);
        // Nobody saw the Designer close, and it did not: it is still in orch-ms01's snapshot.
        var processes = JsonDocument.Parse(File.ReadAllText(Path.Combine(sandbox, "snapshots", "orch-ms01", "host.json"))).RootElement.GetProperty("processes");
        Assert.Contains(processes.EnumerateArray(), p => p.GetProperty("processId").GetInt32() == 7344);
    }

    [Fact]
    public async Task A_backup_that_failed_verification_is_not_published_as_the_backupPath_output()
    {
        var githubOutput = Path.Combine(_work.FullName, "github_output");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = name => name switch { "GITHUB_ACTIONS" => "true", "GITHUB_OUTPUT" => githubOutput, _ => null },
            FileSystem = new FileSystem(),
            CurrentDirectory = _work.FullName,
            Time = TimeProvider.System,
            LocalMachineName = "test-runner",
        };

        var exit = await OrchPrepCli.RunAsync(["prepare", "--sandbox=corrupt-backup", "--output", Path.Combine(_work.FullName, "out")], environment, TestContext.Current.CancellationToken,
            new KeptSandboxLauncher(Path.Combine(_work.FullName, "sandbox")));

        Assert.True(exit == 1, $"exit {exit}\n{stderr}");
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_work.FullName, "out", "report.json"))).RootElement;
        Assert.Equal("none", report.GetProperty("backup").GetProperty("verified").GetString());
        var outputs = File.ReadAllText(githubOutput);
        Assert.Contains("outcome=unmet", outputs, StringComparison.Ordinal);
        Assert.DoesNotContain("backupPath", outputs, StringComparison.Ordinal);
        Assert.DoesNotContain("backupSha256", outputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_reaches_the_engine_so_checks_still_running_then_are_errors_naming_it()
    {
        // The slow scenario answers each host after 2s: with a 1s deadline the host checks cannot finish.
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(
            ["check", "--sandbox=slow", "--deadline", "1s", "--format", "json"], workingDirectory: _work.FullName);

        Assert.True(exit == 3, $"exit {exit}\n{stderr}");
        var checks = JsonDocument.Parse(stdout).RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("status").GetString() == "error" &&
                                     c.GetProperty("detail").GetString()!.Contains("the run's deadline (1s)", StringComparison.Ordinal));
    }

    /// <summary>stderr that cancels the run once a line starting <paramref name="prefix"/> is flushed to it.</summary>
    private sealed class CancellingWriter(string prefix, CancellationTokenSource cts) : StringWriter(new StringBuilder(), CultureInfo.InvariantCulture)
    {
        public override void Flush()
        {
            base.Flush();
            if (ToString().Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
            {
                cts.Cancel();
            }
        }
    }
}
