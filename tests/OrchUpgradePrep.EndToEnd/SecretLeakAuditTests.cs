using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// The secret leak audit: every secret orchprep accepts is set to a distinctive value (tricky ones with characters that
/// change under base64, URL and JSON encoding, plain ones) and every command runs as a process in each outcome (met,
/// unmet, error, cancelled), plain and as Azure Pipelines and GitHub Actions run it, with every format and an output
/// folder. No form of any value (raw, base64 with and without padding, base64url, URL-encoded, JSON-escaped, XML-escaped,
/// the Basic credential) appears in stdout, stderr or any file the run left (report files, GITHUB_OUTPUT,
/// GITHUB_STEP_SUMMARY, the uploaded summary, prepare's state). The one intended appearance is the line that registers a
/// secret with the pipeline so its agent masks it (##vso[task.setsecret] / ::add-mask::): asserted to be exactly that
/// line, once per secret, and nowhere else.
/// </summary>
public sealed class SecretLeakAuditTests
{
    public static TheoryData<string, string, string> CheckRuns => Matrix("check");

    [Theory]
    [MemberData(nameof(CheckRuns))]
    public Task Check_leaks_no_secret(string command, string outcome, string mode) => SecretLeakAudit.RunAsync(command, outcome, mode);

    [Fact]
    public async Task Explain_leaks_no_secret()
    {
        using var dir = new TempDirectory();
        var run = await OrchPrepProcess.RunAsync(dir.Path, SecretLeakAudit.Environment(dir.Path, "plain"), "explain", "requirements.os-version");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("requirements.os-version", run.StandardOutput, StringComparison.Ordinal);
        SecretLeakAudit.AssertNoLeak("explain", run, dir.Path, "plain", registers: false);
    }

    [Fact]
    public async Task Sandbox_command_masks_the_password_it_serves_with()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "ends the server with SIGINT via kill(2)");
        using var dir = new TempDirectory();
        using var process = Process.Start(OrchPrepProcess.StartInfo(dir.Path, SecretLeakAudit.Environment(dir.Path, "plain"), "sandbox", "--scenario", "ready"))!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var printed = new StringBuilder();
        using (var ready = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            ready.CancelAfter(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(ready.Token) is { } line)
            {
                printed.AppendLine(line);
                if (line.StartsWith("Ready.", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        Assert.Equal(0, SecretLeakAudit.Kill(process.Id, 2));
        printed.Append(await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken));
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await process.WaitForExitAsync(exit.Token);
        }

        var run = new ProcessRun(process.ExitCode, printed.ToString(), await stderr);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Ready.", run.StandardOutput, StringComparison.Ordinal);
        SecretLeakAudit.AssertNoLeak("sandbox", run, dir.Path, "plain", registers: false);
    }

    [Fact]
    public async Task Gate_serve_logs_no_secret_when_refusing_and_stopping()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        var env = SecretLeakAudit.Environment(dir.Path, "plain");
        env["ORCHPREP_GATE_ENVIRONMENTS"] = "orchestrator-trial=sandbox:ready";
        env["ORCHPREP_GATE_URLS"] = $"http://127.0.0.1:{port}";
        env["ORCHPREP_GITHUB_APP_ID"] = "424242";
        using var process = Process.Start(OrchPrepProcess.StartInfo(dir.Path, env, "gate", "serve"))!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var up = false;
            for (var attempt = 0; attempt < 150 && !up && !process.HasExited; attempt++)
            {
                try
                {
                    using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), TestContext.Current.CancellationToken);
                    up = health.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200, TestContext.Current.CancellationToken);
                }
            }

            Assert.True(up, "gate serve did not answer /healthz");
            // Refusals make the service log (wrong Basic credentials that carry a secret-like password, a forged webhook signature).
            using var azure = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/azure-devops/check/orchestrator-trial"));
            azure.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("azdo:" + SecretLeakAudit.Values["ORCHPREP_AZDO_CHECK_SECRET"] + "x")));
            using var refused = await http.SendAsync(azure, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            using var hook = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/github/webhook")) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            hook.Headers.Add("X-GitHub-Event", "deployment_protection_rule");
            hook.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
            hook.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
            using var forged = await http.SendAsync(hook, TestContext.Current.CancellationToken);
            Assert.True(forged.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.NotFound, forged.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                _ = SecretLeakAudit.Kill(process.Id, 2);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(exit.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        var run = new ProcessRun(process.ExitCode, await stdout, await stderr);
        Assert.Contains("listening on http://127.0.0.1:" + port, run.StandardError, StringComparison.Ordinal);
        SecretLeakAudit.AssertNoLeak("gate serve", run, dir.Path, "plain", registers: false);
    }

    internal static TheoryData<string, string, string> Matrix(string command)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var outcome in new[] { "met", "unmet", "error", "cancelled" })
        {
            foreach (var mode in new[] { "plain", "azure", "github" })
            {
                data.Add(command, outcome, mode);
            }
        }

        return data;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The same audit for prepare (and resume, after the prepare that met), in its own class so it runs beside check's.</summary>
public sealed class SecretLeakAuditPrepareTests
{
    public static TheoryData<string, string, string> PrepareRuns => SecretLeakAuditTests.Matrix("prepare");

    [Theory]
    [MemberData(nameof(PrepareRuns))]
    public Task Prepare_and_resume_leak_no_secret(string command, string outcome, string mode) => SecretLeakAudit.RunAsync(command, outcome, mode);
}

internal static class SecretLeakAudit
{
    private const string Tricky = "Leak+Me/7\"q=&é";
    private const string Plain = "PlainLeakQz";

    /// <summary>A PEM key is a secret too (the gate's GitHub App key); one generated per test run.</summary>
    private static readonly string PrivateKeyPem = CreatePem();

    /// <summary>Every secret variable orchprep reads (SecretEnvironment.WellKnownNames, the sandbox config's passwordEnv,
    /// GateSettings' secrets), each with its own distinctive value, and the user names beside them (<see cref="UserNames"/>).</summary>
    public static IReadOnlyDictionary<string, string> Values { get; } = new Dictionary<string, string>
    {
        ["ORCHPREP_SQL_PASSWORD"] = Tricky + "sql",
        ["ORCHPREP_WS_USER"] = Plain + "WsUser",
        ["ORCHPREP_WS_PASSWORD"] = Tricky + "ws",
        // Used on the wire: the sandbox SQL login's and web service's password (not "sandbox": that is also the environment's name).
        ["ORCHPREP_SANDBOX_PASSWORD"] = Tricky + "sbx",
        ["ORCHPREP_SANDBOX_USER"] = Plain + "SbxUser",
        ["ORCHPREP_SMK_PASSWORD"] = Tricky + "smk",
        ["ORCHPREP_WEBHOOK_SECRET"] = Plain + "Webhook",
        ["ORCHPREP_GITHUB_TOKEN"] = "ghp_" + Plain + "GitHubToken",
        ["ORCHPREP_AZDO_TOKEN"] = Tricky + "azdo",
        ["GITHUB_TOKEN"] = "ghs_" + Plain + "Actions",
        ["SYSTEM_ACCESSTOKEN"] = Tricky + "system",
        ["ORCHPREP_AZDO_CHECK_SECRET"] = Tricky + "check",
        ["ORCHPREP_GITHUB_APP_PRIVATE_KEY"] = PrivateKeyPem,
    };

    /// <summary>User names orchprep reads beside the secrets. They are data, not secrets (docs/adr/0011): the audit sets
    /// them so that a run uses them, and asserts the opposite of what it once did: they are never registered with the pipeline.</summary>
    private static readonly string[] UserNames = ["ORCHPREP_WS_USER", "ORCHPREP_SANDBOX_USER"];

    /// <summary>Secrets a check/prepare/resume run registers with the pipeline: the well-known names and the sandbox config's passwordEnv.</summary>
    private static readonly string[] Registered = [.. Values.Keys.Where(k => k is not "ORCHPREP_AZDO_CHECK_SECRET" and not "ORCHPREP_GITHUB_APP_PRIVATE_KEY" && !UserNames.Contains(k))];

    public static Dictionary<string, string?> Environment(string directory, string mode)
    {
        var env = Values.ToDictionary(p => p.Key, p => (string?)p.Value);
        switch (mode)
        {
            case "azure":
                env["TF_BUILD"] = "True";
                env["AGENT_TEMPDIRECTORY"] = Directory.CreateDirectory(Path.Combine(directory, "agent-temp")).FullName;
                break;
            case "github":
                env["GITHUB_ACTIONS"] = "true";
                env["GITHUB_OUTPUT"] = Path.Combine(directory, "github_output");
                env["GITHUB_STEP_SUMMARY"] = Path.Combine(directory, "step_summary");
                env["RUNNER_TEMP"] = Directory.CreateDirectory(Path.Combine(directory, "runner-temp")).FullName;
                File.WriteAllText(env["GITHUB_OUTPUT"]!, string.Empty);
                File.WriteAllText(env["GITHUB_STEP_SUMMARY"]!, string.Empty);
                break;
        }

        return env;
    }

    public static async Task RunAsync(string command, string outcome, string mode)
    {
        using var dir = new TempDirectory();
        var env = Environment(dir.Path, mode);
        // Diagnostic verbosity: the console prints every evidence line, met checks' too, so all of it passes the masker's test.
        string[] formats = ["--format", "console", "--format", "json", "--format", "markdown", "--format", "junit", "--verbosity", "diagnostic"];
        string[] output = mode == "plain" ? ["--output", "out"] : [];
        var scenario = (command, outcome) switch
        {
            (_, "met") => command == "check" ? "ready" : "healthy",
            (_, "unmet") => "requirements-unmet",
            (_, "error") => "host-unreachable",
            ("check", "cancelled") => "slow",
            _ => "busy",
        };
        // prepare's steps succeed on the reachable hosts (their unmet outranks an error): without them the unreachable hosts' errors decide.
        string[] skip = command == "prepare" && outcome == "error" ? ["--skip", "runbooks"] : [];
        string[] args = [command, $"--sandbox={scenario}", .. formats, .. output, .. skip];
        var expected = outcome switch { "met" => 0, "unmet" => 1, "error" => 3, _ => 130 };

        var run = outcome == "cancelled"
            ? await InterruptAsync(dir.Path, env, command == "check" ? "orchprep: running" : "drain: waiting for",
                command == "prepare" ? [.. args, "--drain-timeout", "2m"] : args)
            : await OrchPrepProcess.RunAsync(dir.Path, env, args);

        Assert.True(run.ExitCode == expected, $"{string.Join(' ', args)} ({mode}): expected exit {expected}\n{run}");
        AssertNoLeak(string.Join(' ', args), run, dir.Path, mode, registers: true);
        AssertReportsWritten(dir.Path, mode, outcome == "cancelled" ? "cancelled" : null);

        if (command == "prepare" && outcome == "met")
        {
            // resume undoes what this prepare blocked: same folder, same state.
            var resume = await OrchPrepProcess.RunAsync(dir.Path, env, ["resume", $"--sandbox={scenario}", .. formats, .. output]);
            Assert.True(resume.ExitCode == 0, $"resume ({mode})\n{resume}");
            AssertNoLeak("resume", resume, dir.Path, mode, registers: true);
        }
    }

    /// <summary>Every form of every secret is absent from stdout (but the pipeline's registration lines), stderr and every file under <paramref name="directory"/>.</summary>
    public static void AssertNoLeak(string what, ProcessRun run, string directory, string mode, bool registers)
    {
        var forms = Forms();
        var prefix = mode switch { "azure" => "##vso[task.setsecret]", "github" => "::add-mask::", _ => null };
        var registrations = new List<string>();
        foreach (var line in run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (prefix is not null && line.StartsWith(prefix, StringComparison.Ordinal) && Values.Values.SelectMany(Lines).Contains(line[prefix.Length..], StringComparer.Ordinal))
            {
                registrations.Add(line[prefix.Length..]);
                continue;
            }

            AssertClean($"{what} ({mode}) stdout", line, forms);
        }

        AssertClean($"{what} ({mode}) stderr", run.StandardError, forms);
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList();
        foreach (var file in files)
        {
            AssertClean($"{what} ({mode}) {Path.GetRelativePath(directory, file)}", File.ReadAllText(file), forms);
        }

        // A user name registered with the pipeline would be masked in its log and drop any output that contains it.
        foreach (var user in UserNames)
        {
            Assert.DoesNotContain(run.StandardOutput.Split('\n'), l => prefix is not null && l.TrimEnd('\r') == prefix + Values[user]);
        }

        if (prefix is not null && registers)
        {
            // Exactly one registration line per secret the run reads, and nothing else of them.
            var expected = Registered.Select(n => Values[n]).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, registrations.Order(StringComparer.Ordinal).ToList());
        }
        else
        {
            Assert.Empty(registrations);
        }
    }

    private static void AssertReportsWritten(string directory, string mode, string? outcome)
    {
        var reports = mode switch
        {
            "azure" => Path.Combine(directory, "agent-temp", "orchprep-report"),
            "github" => Path.Combine(directory, "runner-temp", "orchprep-report"),
            _ => Path.Combine(directory, "out"),
        };
        foreach (var name in new[] { "report.json", "report.md", "junit.xml" })
        {
            Assert.True(File.Exists(Path.Combine(reports, name)), $"{mode}: no {name} in {reports}: the audit would have nothing to read");
        }

        if (outcome is not null)
        {
            Assert.Equal(outcome, ReportJson.Load(Path.Combine(reports, "report.json")).Outcome);
        }

        if (mode == "github")
        {
            Assert.Contains("outcome=", File.ReadAllText(Path.Combine(directory, "github_output")), StringComparison.Ordinal);
            Assert.NotEqual(0, new FileInfo(Path.Combine(directory, "step_summary")).Length);
        }
    }

    private static void AssertClean(string where, string text, IReadOnlyList<(string Name, string Form, string Value)> forms)
    {
        foreach (var (name, form, value) in forms)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                Assert.Fail($"{where}: {name} leaked ({form} form '{value}'):\n{text}");
            }
        }
    }

    /// <summary>Every form of every value: raw, base64 (padded, unpadded, URL-safe), URL-encoded, JSON-escaped (strict and relaxed),
    /// XML-escaped; multi-line values also line by line; and the sandbox's Basic credential.</summary>
    private static List<(string Name, string Form, string Value)> Forms()
    {
        var forms = new List<(string, string, string)>();
        void Add(string name, string raw)
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));
            forms.Add((name, "raw", raw));
            forms.Add((name, "base64", base64));
            forms.Add((name, "base64 unpadded", base64.TrimEnd('=')));
            forms.Add((name, "base64url", base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')));
            forms.Add((name, "URL-encoded", Uri.EscapeDataString(raw)));
            forms.Add((name, "form-URL-encoded", System.Net.WebUtility.UrlEncode(raw)));
            forms.Add((name, "JSON-escaped", JsonSerializer.Serialize(raw)[1..^1]));
            forms.Add((name, "JSON-escaped (relaxed)", JsonSerializer.Serialize(raw, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1]));
            forms.Add((name, "XML-escaped", System.Security.SecurityElement.Escape(raw)));
        }

        foreach (var (name, value) in Values.Where(v => !UserNames.Contains(v.Key)))
        {
            Add(name, value);
            foreach (var line in Lines(value).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
            {
                Add(name + " (a line)", line);
            }
        }

        Add("sandbox Basic credential", $"{Values["ORCHPREP_SANDBOX_USER"]}:{Values["ORCHPREP_SANDBOX_PASSWORD"]}");
        return [.. forms.DistinctBy(f => f.Item3)];
    }

    private static IEnumerable<string> Lines(string value) => value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    private static string CreatePem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    private static async Task<ProcessRun> InterruptAsync(string directory, Dictionary<string, string?> env, string announcement, string[] args)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2)");
        using var process = Process.Start(OrchPrepProcess.StartInfo(directory, env, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = Task.Run(async () =>
        {
            var all = new StringBuilder();
            while (await process.StandardError.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                all.Append(line).Append('\n');
                if (line.StartsWith(announcement, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }

            return all.ToString();
        }, TestContext.Current.CancellationToken);

        await seen.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.False(process.HasExited, $"{string.Join(' ', args)} finished before it could be interrupted");
        Assert.Equal(0, Kill(process.Id, 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
