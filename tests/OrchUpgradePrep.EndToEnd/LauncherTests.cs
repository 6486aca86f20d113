using System.Diagnostics;
using System.Text;

using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// The Node launcher (tasks/) started as the Azure agent and the GitHub runner start it: inputs only as INPUT_*
/// variables, orchprep.dll of this build through the ORCHPREP_PATH hook, against the sandbox.
/// </summary>
public sealed class LauncherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("ready", 0, "met")]
    [InlineData("healthy", 1, "unmet")]
    public async Task AzurePipelines_task_sets_the_outputs_completes_the_task_and_exits_with_orchprep_s_code(string scenario, int exitCode, string outcome)
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "report");
        var env = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["AGENT_TEMPDIRECTORY"] = dir.Path,
            ["INPUT_MODE"] = "check",
            ["INPUT_SANDBOX"] = scenario,
            ["INPUT_OUTPUT"] = output,
            ["INPUT_FORMAT"] = "console",
        };

        var run = await RunLauncherAsync("tasks/azure-pipelines/index.js", dir.Path, env);

        // The agent's Node handler reads a non-zero exit as an infrastructure failure: the result goes through task.complete.
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Lines(run.StandardOutput);
        Assert.Equal($"orchprep launcher: running dotnet {OrchPrepProcess.BinaryPath} check", lines[0]);
        Assert.Contains($"##vso[task.setvariable variable=outcome;isOutput=true;issecret=false]{outcome}", lines);
        Assert.Contains($"##vso[task.setvariable variable=reportPath;isOutput=true;issecret=false]{Path.Combine(output, "report.json")}", lines);
        var completes = lines.Where(l => l.StartsWith("##vso[task.complete ", StringComparison.Ordinal)).ToArray();
        if (exitCode == 0)
        {
            // orchprep completes the task itself (Succeeded, or SucceededWithIssues for a warning); the launcher adds nothing.
            var complete = Assert.Single(completes);
            Assert.StartsWith("##vso[task.complete result=Succeeded", complete, StringComparison.Ordinal);
        }
        else
        {
            // orchprep's own result, once: the launcher adds no second, generic one.
            Assert.Equal(["##vso[task.complete result=Failed;]orchprep: a prerequisite is unmet"], completes);
            Assert.DoesNotContain(lines, l => l.Contains("orchprep exit code", StringComparison.Ordinal));
        }

        Assert.True(File.Exists(Path.Combine(output, "report.json")));
    }

    [Theory]
    [InlineData("ready", 0, "met")]
    [InlineData("healthy", 1, "unmet")]
    public async Task GitHubAction_writes_outputs_and_the_step_summary_and_exits_with_orchprep_s_code(string scenario, int exitCode, string outcome)
    {
        using var dir = new TempDirectory();
        var outputFile = Path.Combine(dir.Path, "github_output");
        var summaryFile = Path.Combine(dir.Path, "step_summary");
        File.WriteAllText(outputFile, string.Empty);
        File.WriteAllText(summaryFile, string.Empty);
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = outputFile,
            ["GITHUB_STEP_SUMMARY"] = summaryFile,
            ["RUNNER_TEMP"] = dir.Path,
            ["INPUT_MODE"] = "check",
            ["INPUT_SANDBOX"] = scenario,
            ["INPUT_FORMAT"] = "console",
            ["INPUT_IMAGE"] = string.Empty,
        };

        var run = await RunLauncherAsync("tasks/github-action/index.js", dir.Path, env);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        var outputs = File.ReadAllText(outputFile);
        Assert.Contains($"outcome={outcome}", outputs, StringComparison.Ordinal);
        Assert.Contains($"reportPath={Path.Combine(dir.Path, "orchprep-report", "report.json")}", outputs, StringComparison.Ordinal);
        var summary = File.ReadAllText(summaryFile);
        Assert.StartsWith("# ", summary, StringComparison.Ordinal);
        Assert.Contains(exitCode == 0 ? "MET" : "UNMET", summary, StringComparison.Ordinal);
        Assert.Contains("orchprep check", summary, StringComparison.Ordinal);
        // Each unmet check is its own ::error annotation from orchprep; the launcher adds no generic one after them.
        Assert.DoesNotContain(Lines(run.StandardOutput), l => l.StartsWith("::error title=orchprep::", StringComparison.Ordinal));
        Assert.Equal(exitCode != 0, Lines(run.StandardOutput).Any(l => l.StartsWith("::error ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AzurePipelines_secret_input_reaches_orchprep_and_is_printed_only_to_register_it_with_the_agent()
    {
        const string secret = "Launcher-Secret-55821";
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["AGENT_TEMPDIRECTORY"] = dir.Path,
            ["INPUT_MODE"] = "check",
            ["INPUT_SANDBOX"] = "ready",
            ["INPUT_FORMAT"] = "console,json,markdown",
            ["INPUT_SQLPASSWORD"] = secret,
        };

        var run = await RunLauncherAsync("tasks/azure-pipelines/index.js", dir.Path, env);

        Assert.True(run.ExitCode == 0, run.ToString());
        // orchprep got it (it registers it as ORCHPREP_SQL_PASSWORD's value); the one line holding it is that
        // registration, which the agent consumes and never shows.
        var holding = Lines(run.StandardOutput).Where(l => l.Contains(secret, StringComparison.Ordinal)).ToArray();
        Assert.Equal([$"##vso[task.setsecret]{secret}"], holding);
        Assert.DoesNotContain(secret, run.StandardError, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dir.Path, "orchprep-report")))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string, string> SetupMistakes() => new()
    {
        // input, value, config file content (null: none), what the one error must say
        { "drainTimeout", "ten minutes", "", "the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT): 'ten minutes' is not a duration" },
        { "config", "missing.yml", "", "missing.yml: file not found; it is the config file named by the input 'config' (--config)." },
        { "environment", "", "ambiguous", "the input 'environment' (--environment)" },
        { "sandbox", "no-such-scenario", "", "no-such-scenario" },
        { "mode", "upgrade", "", "The input 'mode' is 'upgrade'" },
    };

    [Theory]
    [MemberData(nameof(SetupMistakes))]
    public async Task AzurePipelines_a_setup_mistake_is_one_error_issue_and_one_task_complete_naming_the_input_and_the_launcher_exits_0(
        string input, string value, string config, string expected)
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["AGENT_TEMPDIRECTORY"] = dir.Path,
            ["INPUT_MODE"] = "prepare",
            [$"INPUT_{input.ToUpperInvariant()}"] = value,
        };
        if (config == "ambiguous")
        {
            File.WriteAllText(Path.Combine(dir.Path, "orchprep.yml"), """
                environments:
                  dev:
                    target: "2022"
                    hosts: [ { name: dev-ms01, roles: [management-server], snapshot: s/dev } ]
                  prod:
                    target: "2022"
                    hosts: [ { name: prod-ms01, roles: [management-server], snapshot: s/prod } ]
                """);
        }
        else if (input != "config" && input != "sandbox" && input != "mode")
        {
            env["INPUT_SANDBOX"] = "ready";
        }

        var run = await RunLauncherAsync("tasks/azure-pipelines/index.js", dir.Path, env);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Lines(run.StandardOutput);
        var issues = lines.Where(l => l.StartsWith("##vso[task.logissue", StringComparison.Ordinal)).ToArray();
        var completes = lines.Where(l => l.StartsWith("##vso[task.complete", StringComparison.Ordinal)).ToArray();
        var issue = Assert.Single(issues);
        var complete = Assert.Single(completes);
        Assert.StartsWith("##vso[task.logissue type=error;]", issue, StringComparison.Ordinal);
        Assert.StartsWith("##vso[task.complete result=Failed;]", complete, StringComparison.Ordinal);
        Assert.Contains(expected, issue, StringComparison.Ordinal);
        Assert.DoesNotContain("orchprep exit code", issue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubAction_a_setup_mistake_is_one_error_annotation_naming_the_input_and_fails_the_step()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["RUNNER_TEMP"] = dir.Path,
            ["INPUT_MODE"] = "prepare",
            ["INPUT_SANDBOX"] = "ready",
            ["INPUT_DRAINTIMEOUT"] = "ten minutes",
            ["INPUT_IMAGE"] = string.Empty,
        };

        var run = await RunLauncherAsync("tasks/github-action/index.js", dir.Path, env);

        Assert.True(run.ExitCode == 2, run.ToString());
        var error = Assert.Single(Lines(run.StandardOutput), l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.Contains("the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT): 'ten minutes' is not a duration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubAction_image_mode_runs_the_container_with_the_runner_folders_and_writes_the_report_and_outputs()
    {
        var image = Environment.GetEnvironmentVariable("ORCHPREP_TEST_IMAGE");
        Assert.SkipWhen(string.IsNullOrEmpty(image), "ORCHPREP_TEST_IMAGE is not set (.ci/run builds the image with podman and sets it)");
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the image is the Linux one");
        using var dir = new TempDirectory();
        // The launcher calls `docker`; podman takes the same arguments.
        var bin = Directory.CreateDirectory(Path.Combine(dir.Path, "bin")).FullName;
        var shim = Path.Combine(bin, "docker");
        File.WriteAllText(shim, "#!/bin/sh\nexec podman \"$@\"\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var workspace = Directory.CreateDirectory(Path.Combine(dir.Path, "work")).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(dir.Path, "temp")).FullName;
        var outputFile = Path.Combine(temp, "set_output");
        var summaryFile = Path.Combine(temp, "step_summary");
        File.WriteAllText(outputFile, string.Empty);
        File.WriteAllText(summaryFile, string.Empty);
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["CONTAINERS_CONF"] = Environment.GetEnvironmentVariable("CONTAINERS_CONF"),
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_WORKSPACE"] = workspace,
            ["GITHUB_OUTPUT"] = outputFile,
            ["GITHUB_STEP_SUMMARY"] = summaryFile,
            ["RUNNER_TEMP"] = temp,
            ["INPUT_MODE"] = "check",
            ["INPUT_SANDBOX"] = "ready",
            ["INPUT_IMAGE"] = image,
        };

        var run = await RunLauncherAsync("tasks/github-action/index.js", workspace, env, useOrchPrepPath: false);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"orchprep launcher: running orchprep check in the container image {image} (docker run)", run.StandardOutput, StringComparison.Ordinal);
        var report = Path.Combine(temp, "orchprep-report", "report.json");
        Assert.Equal("met", ReportJson.Load(report).Outcome);
        var outputs = File.ReadAllText(outputFile);
        Assert.Contains("outcome=met", outputs, StringComparison.Ordinal);
        Assert.Contains($"reportPath={report}", outputs, StringComparison.Ordinal);
        Assert.Contains("MET", File.ReadAllText(summaryFile), StringComparison.Ordinal);
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>node &lt;entry&gt; with only the given pipeline variables: nothing from a CI system the tests run inside.</summary>
    private static async Task<ProcessRun> RunLauncherAsync(string entry, string workingDirectory, IReadOnlyDictionary<string, string?> environment, bool useOrchPrepPath = true)
    {
        var node = FindNode();
        Assert.SkipWhen(node is null, "node is not on PATH: the launcher (tasks/) cannot run");
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot, entry));
        foreach (var key in info.Environment.Keys.Where(IsPipelineVariable).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["NO_COLOR"] = "1";
        if (useOrchPrepPath)
        {
            info.Environment["ORCHPREP_PATH"] = OrchPrepProcess.BinaryPath;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return await OrchPrepProcess.RunAsync(info, Timeout);
    }

    private static bool IsPipelineVariable(string name) =>
        name is "TF_BUILD" or "AGENT_TEMPDIRECTORY" or "RUNNER_TEMP" or "RUNNER_TOOL_CACHE" ||
        new[] { "INPUT_", "ORCHPREP_", "SECRET_", "ENDPOINT_AUTH_", "GITHUB_" }.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static string? FindNode()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrchUpgradePrep.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OrchUpgradePrep.sln not found above " + AppContext.BaseDirectory);
    }
}
