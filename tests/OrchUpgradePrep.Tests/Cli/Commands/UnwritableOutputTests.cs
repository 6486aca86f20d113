using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text.Json;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Tests.Sandbox;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>
/// An output folder that cannot be written: refused before anything changes (exit 2), or, when it fails after prepare
/// has acted, the verdict, backup and actions still reach the console, a fallback folder and the pipeline outputs.
/// </summary>
public sealed class UnwritableOutputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-unwritable-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private SandboxSession? _session;

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _work.Delete(recursive: true);
    }

    private string Output => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task A_file_where_the_output_folder_should_be_is_refused_before_prepare_changes_anything()
    {
        File.WriteAllText(Output, "not a folder");

        var exit = await RunAsync(new FileSystem(), null, "prepare", "--sandbox", "--output", Output);

        Assert.True(exit == 2, $"exit {exit}\n{_stderr}");
        Assert.Contains($"the output folder {Output} cannot be used: a file of that name is in the way", _stderr.ToString(), StringComparison.Ordinal);
        AssertNothingChanged();
        Assert.Equal("not a folder", File.ReadAllText(Output));
    }

    [Fact]
    public async Task A_read_only_output_folder_is_refused_before_prepare_changes_anything()
    {
        Directory.CreateDirectory(Output);

        var exit = await RunAsync(FaultingFileSystem.ReadOnly(Output), null, "prepare", "--sandbox", "--output", Output);

        Assert.True(exit == 2, $"exit {exit}\n{_stderr}");
        Assert.Contains($"the output folder {Output} cannot be written: Access to the path", _stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _stderr.ToString(), StringComparison.Ordinal);
        AssertNothingChanged();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Output));
    }

    [Fact]
    public async Task A_folder_where_report_json_should_be_is_refused_in_check_mode_too()
    {
        Directory.CreateDirectory(Path.Combine(Output, "report.json"));

        var exit = await RunAsync(new FileSystem(), null, "check", "--sandbox=ready", "--output", Output);

        Assert.True(exit == 2, $"exit {exit}\n{_stderr}");
        Assert.Contains($"{Path.Combine(Output, "report.json")} is a folder, where orchprep writes a file", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, _stdout.ToString());
    }

    [Fact]
    public async Task A_disk_that_fills_up_after_prepare_keeps_the_verdict_backup_and_actions_on_the_console_the_fallback_and_the_outputs()
    {
        var githubOutput = Path.Combine(_work.FullName, "github_output");
        var summary = Path.Combine(_work.FullName, "step_summary");
        var variables = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = githubOutput,
            ["GITHUB_STEP_SUMMARY"] = summary,
        };

        var exit = await RunAsync(FaultingFileSystem.FullAt(Output, "report.md"), variables, "prepare", "--sandbox", "--output", Output);

        // prepare met every prerequisite, but the report is not where the pipeline will look: never a green step.
        Assert.True(exit == 3, $"exit {exit}\n{_stderr}");
        var stderr = _stderr.ToString();
        Assert.Contains($"the report could not be written to {Output}: No space left on device", stderr, StringComparison.Ordinal);
        Assert.Contains("orchprep: verdict: MET:", stderr, StringComparison.Ordinal);
        Assert.Contains("orchprep: action: block-starts stopped: orch-rb02: orunbook", stderr, StringComparison.Ordinal);

        // The backup the console names is the real file, with its real SHA-256.
        var backup = Directory.EnumerateFiles(Path.Combine(_work.FullName, "sandbox"), "*_orchprep.bak", SearchOption.AllDirectories).Single();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(backup)));
        Assert.Contains($"orchprep: backup file: {backup} {new FileInfo(backup).Length} bytes sha256 {sha256}", stderr, StringComparison.Ordinal);

        // The report went to the fallback folder, which the console names and the outputs point at.
        var fallback = Directory.EnumerateDirectories(Path.Combine(_work.FullName, ".orchprep", "sandbox"), "undelivered-*").Single();
        Assert.Contains($"orchprep: the report was written instead to {fallback}", stderr, StringComparison.Ordinal);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(fallback, "report.json"))).RootElement;
        Assert.Equal("met", report.GetProperty("outcome").GetString());
        Assert.Equal(sha256, report.GetProperty("backup").GetProperty("files")[0].GetProperty("sha256").GetString());

        var outputs = ReadGitHubOutputs(githubOutput);
        Assert.Equal("met", outputs["outcome"]);
        Assert.Equal(backup, outputs["backupPath"]);
        Assert.Equal(sha256, outputs["backupSha256"]);
        Assert.Equal(Path.Combine(fallback, "report.json"), outputs["reportPath"]);
        Assert.Contains("MET", File.ReadAllText(summary), StringComparison.Ordinal);

        // What prepare stopped is still recorded for resume, in the folder it probed.
        Assert.True(File.Exists(Path.Combine(Output, "prepare-state.json")));
    }

    [Fact]
    public async Task On_Azure_a_met_run_whose_report_could_not_be_written_fails_the_task_with_that_reason()
    {
        var variables = new Dictionary<string, string?> { ["TF_BUILD"] = "True", ["AGENT_TEMPDIRECTORY"] = _work.FullName };

        var exit = await RunAsync(FaultingFileSystem.FullAt(Output, "report.md"), variables, "check", "--sandbox=ready", "--output", Output);

        Assert.True(exit == 3, $"exit {exit}\n{_stderr}");
        var lines = _stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        // The task's result is what task.complete says: one, Failed, with the reason; never the verdict's Succeeded.
        var complete = Assert.Single(lines, l => l.StartsWith("##vso[task.complete", StringComparison.Ordinal));
        Assert.StartsWith("##vso[task.complete result=Failed;]orchprep: all prerequisites met, but the report could not be written to ", complete, StringComparison.Ordinal);
        Assert.Contains("; it is in ", complete, StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("##vso[task.logissue type=error;]orchprep: all prerequisites met, but", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_GitHub_a_step_output_file_that_cannot_be_written_fails_a_met_run_instead_of_crashing()
    {
        var outputFile = Directory.CreateDirectory(Path.Combine(_work.FullName, "set_output")).FullName;
        var variables = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputFile, ["RUNNER_TEMP"] = _work.FullName };

        var exit = await RunAsync(new FileSystem(), variables, "check", "--sandbox=ready", "--output", Output);

        // Later jobs read these outputs: without them the run is not green, and the report files are still written.
        Assert.True(exit == 3, $"exit {exit}\n{_stderr}");
        var errors = _stdout.ToString().Split('\n').Where(l => l.StartsWith("::error", StringComparison.Ordinal)).ToArray();
        Assert.Contains(errors, e => e.Contains($"the step outputs (from 'outcome' on) could not be written to {outputFile}", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Output, "report.json")));
    }

    private async Task<int> RunAsync(IFileSystem fileSystem, IReadOnlyDictionary<string, string?>? variables, params string[] args)
    {
        var environment = new CliEnvironment
        {
            Out = _stdout,
            Error = _stderr,
            GetEnvironmentVariable = name => variables?.GetValueOrDefault(name),
            FileSystem = fileSystem,
            CurrentDirectory = _work.FullName,
            Time = TimeProvider.System,
            LocalMachineName = "test-runner",
        };

        return await OrchPrepCli.RunAsync(args, environment, TestContext.Current.CancellationToken,
            new KeptSandboxLauncher(Path.Combine(_work.FullName, "sandbox"), started => _session = started));
    }

    /// <summary>No job stopped, no service stopped, nothing written to SQL Server or the web service.</summary>
    private void AssertNothingChanged()
    {
        if (_session is not { } session)
        {
            return;
        }

        Assert.Empty(session.Orchestrator.Changes);
        Assert.All(session.Environment.Hosts.SelectMany(h => session.Orchestrator.Services(h.Name)), s => Assert.True(s.Running, $"{s.Host}/{s.Name}"));
        Assert.Empty(SandboxSqlAudit.Writes(session.SqlServer.Audit));
        Assert.DoesNotContain(session.WebService?.Audit ?? [], r => r.IsWrite);
    }

    /// <summary>GITHUB_OUTPUT's name&lt;&lt;delimiter blocks, as the runner reads them.</summary>
    private static Dictionary<string, string> ReadGitHubOutputs(string path)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].IndexOf("<<", StringComparison.Ordinal) is > 0 and var at)
            {
                var (name, delimiter) = (lines[i][..at], lines[i][(at + 2)..]);
                var value = new List<string>();
                while (lines[++i] != delimiter)
                {
                    value.Add(lines[i]);
                }

                outputs[name] = string.Join("\n", value);
            }
            else if (lines[i].IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                outputs[lines[i][..eq]] = lines[i][(eq + 1)..];
            }
        }

        return outputs;
    }
}
