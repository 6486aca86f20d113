using System.Text;
using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// Issue #16, "mask secrets, not words": a user name that is a word the output uses (orchprep, orch), a password equal
/// to the environment's name, a secret that is part of the temp and output path. In the console, Azure Pipelines and
/// GitHub Actions, an all-met check still exits 0, every path orchprep hands on (##vso commands, GITHUB_OUTPUT, the
/// "report written to" line) names a file or folder that exists, report.json names the tool, user names stay readable,
/// and every form of every real secret is hidden in the free text around those paths.
/// </summary>
public sealed class SecretCollisionTests
{
    // Every case writes under this folder, so a secret that is part of it is part of every path orchprep hands on.
    private const string PathFolder = "orch-sandbox-pathQz7";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var @case in new[] { "user-orchprep", "user-orch", "password-is-environment", "secret-in-path" })
        {
            foreach (var mode in new[] { "plain", "azure", "github" })
            {
                data.Add(@case, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_met_check_names_files_that_exist_and_hides_only_secrets(string @case, string mode)
    {
        using var dir = new TempDirectory();
        var root = Directory.CreateDirectory(Path.Combine(dir.Path, PathFolder)).FullName;
        var (env, secrets, users) = Environment(@case);
        string[] output = [];
        switch (mode)
        {
            case "plain":
                output = ["--output", Path.Combine(root, "out")];
                break;
            case "azure":
                env["TF_BUILD"] = "True";
                env["AGENT_TEMPDIRECTORY"] = root;
                break;
            default:
                env["GITHUB_ACTIONS"] = "true";
                env["RUNNER_TEMP"] = root;
                env["GITHUB_OUTPUT"] = Path.Combine(root, "github_output");
                env["GITHUB_STEP_SUMMARY"] = Path.Combine(root, "step_summary");
                File.WriteAllText(env["GITHUB_OUTPUT"]!, string.Empty);
                File.WriteAllText(env["GITHUB_STEP_SUMMARY"]!, string.Empty);
                break;
        }

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, ["check", "--sandbox=ready", "--format", "console", "--format", "json", .. output]);

        Assert.True(run.ExitCode == 0, $"{@case} ({mode}): an all-met check must pass\n{run}");
        var named = NamedPaths(run, mode, env);
        Assert.NotEmpty(named);
        foreach (var path in named)
        {
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{@case} ({mode}): '{path}' names nothing\n{run}");
        }

        var reportJson = named.Single(p => p.EndsWith("report.json", StringComparison.Ordinal));
        using (var report = JsonDocument.Parse(File.ReadAllText(reportJson)))
        {
            Assert.Equal("orchprep", report.RootElement.GetProperty("tool").GetProperty("name").GetString());
        }

        if (mode == "azure")
        {
            // Succeeded, or SucceededWithIssues when a check warns: never Failed for an all-met run.
            Assert.Contains("##vso[task.complete result=Succeeded", run.StandardOutput, StringComparison.Ordinal);
        }

        var prefix = mode switch { "azure" => "##vso[task.setsecret]", "github" => "::add-mask::", _ => null };
        var texts = Texts(run, dir.Path, prefix, secrets);
        foreach (var user in users)
        {
            // A user name is data (ADR 0011): never registered with the pipeline, never masked.
            Assert.DoesNotContain(run.StandardOutput.Split('\n'), l => prefix is not null && l.TrimEnd('\r') == prefix + user);
            Assert.All(texts, t => Assert.DoesNotContain("***", t.Text, StringComparison.Ordinal));
        }

        foreach (var secret in secrets.Values)
        {
            if (prefix is not null)
            {
                Assert.Contains(run.StandardOutput.Split('\n'), l => l.TrimEnd('\r') == prefix + secret);
            }

            // Paths orchprep hands on keep the secret (the user chose the folder); everywhere else it is hidden.
            var existing = Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Append(dir.Path)
                .OrderByDescending(p => p.Length).ToList();
            foreach (var (where, text) in texts)
            {
                var free = existing.Aggregate(text, (t, p) => t.Replace(p, "<path>", StringComparison.Ordinal));
                // The sandbox's own folder (gone when the run ends) is its backup directory: a path orchprep writes to, kept whole.
                free = SandboxFolder().Replace(free, "<path>");
                foreach (var form in Forms(secret))
                {
                    Assert.False(free.Contains(form, StringComparison.Ordinal), $"{@case} ({mode}) {where}: the secret shows as '{form}' in free text:\n{free}");
                }
            }
        }

        if (@case == "password-is-environment")
        {
            Assert.Contains("the value of ORCHPREP_SANDBOX_PASSWORD equals the environment's name", run.StandardError, StringComparison.Ordinal);
        }
    }

    private static System.Text.RegularExpressions.Regex SandboxFolder() =>
        new(System.Text.RegularExpressions.Regex.Escape(Path.Combine(Path.GetTempPath(), "orchprep-sandbox-")) + "[0-9a-f]+", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(5));

    private static (Dictionary<string, string?> Env, Dictionary<string, string> Secrets, string[] Users) Environment(string @case)
    {
        var secrets = new Dictionary<string, string> { ["ORCHPREP_SANDBOX_PASSWORD"] = "Sbx-Pw-4711" };
        string[] users = [];
        switch (@case)
        {
            case "user-orchprep":
                users = ["orchprep"];
                break;
            case "user-orch":
                users = ["orch"];
                break;
            case "password-is-environment":
                secrets["ORCHPREP_SANDBOX_PASSWORD"] = "sandbox";
                break;
            default:
                secrets["ORCHPREP_SQL_PASSWORD"] = "pathQz7";
                break;
        }

        var env = secrets.ToDictionary(p => p.Key, p => (string?)p.Value);
        foreach (var user in users)
        {
            env["ORCHPREP_SANDBOX_USER"] = user;
            env["ORCHPREP_WS_USER"] = user;
        }

        return (env, secrets, users);
    }

    /// <summary>The paths the run hands on: ##vso data commands, GITHUB_OUTPUT's reportPath, the "report written to" line.</summary>
    private static List<string> NamedPaths(ProcessRun run, string mode, Dictionary<string, string?> env)
    {
        var paths = new List<string>();
        foreach (var line in run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            foreach (var command in new[] { "##vso[task.uploadsummary]", "##vso[results.publish ", "##vso[task.setvariable variable=reportPath;" })
            {
                if (line.StartsWith(command, StringComparison.Ordinal))
                {
                    paths.Add(UnescapeAzure(line[(line.IndexOf(']', StringComparison.Ordinal) + 1)..]));
                }
            }
        }

        if (mode == "github")
        {
            paths.AddRange(File.ReadAllLines(env["GITHUB_OUTPUT"]!)
                .Where(l => l.StartsWith("reportPath=", StringComparison.Ordinal))
                .Select(l => l["reportPath=".Length..]));
        }

        const string written = "orchprep: report written to ";
        var folder = run.StandardError.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(written, StringComparison.Ordinal))[written.Length..];
        paths.Add(folder);
        if (mode == "plain")
        {
            paths.Add(Path.Combine(folder, "report.json"));
        }

        Assert.True(mode != "azure" || paths.Count == 4, $"azure: expected uploadsummary, results.publish, reportPath and the folder\n{run}");
        return paths;
    }

    private static string UnescapeAzure(string value) =>
        value.Replace("%0D", "\r", StringComparison.Ordinal).Replace("%0A", "\n", StringComparison.Ordinal)
            .Replace("%3B", ";", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal)
            .Replace("%AZP25", "%", StringComparison.Ordinal);

    /// <summary>stdout (less the registration lines), stderr and every file the run left.</summary>
    private static List<(string Where, string Text)> Texts(ProcessRun run, string directory, string? prefix, Dictionary<string, string> secrets)
    {
        var stdout = string.Join('\n', run.StandardOutput.Split('\n')
            .Where(l => prefix is null || !secrets.Values.Any(s => l.TrimEnd('\r') == prefix + s)));
        var texts = new List<(string, string)> { ("stdout", stdout), ("stderr", run.StandardError) };
        texts.AddRange(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".db", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(directory, f), File.ReadAllText(f))));
        return texts;
    }

    private static IEnumerable<string> Forms(string secret)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        return new[] { secret, base64, base64.TrimEnd('='), Uri.EscapeDataString(secret), JsonSerializer.Serialize(secret)[1..^1] }.Distinct();
    }
}
