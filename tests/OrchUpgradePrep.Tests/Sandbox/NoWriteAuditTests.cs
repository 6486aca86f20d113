using System.IO.Abstractions;
using System.Security.Cryptography;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox;

/// <summary>
/// `check` changes nothing, in every sandbox scenario: the whole command (OrchPrepCli in-process, as Program.cs runs it)
/// against the sandbox, then its audit logs: no write statement reached the SQL Server, no POST/PUT/PATCH/MERGE/DELETE the
/// web service, the simulated Orchestrator recorded no job stop or service change, every host's services are as they
/// were, and no file of the sandbox folder (host snapshots, backup folder) was added, removed or modified.
/// The negative control runs `prepare` through the same audit and sees all of these: the audit can see a write.
/// </summary>
public sealed class NoWriteAuditTests : IDisposable
{
    private const string Password = "Pw-nowrite-4711";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-nowrite-");

    public void Dispose() => _work.Delete(recursive: true);

    public static TheoryData<string> Scenarios => new(SandboxScenarios.Names);

    [Fact]
    public void The_matrix_is_every_scenario()
    {
        // A scenario added later joins the audit by itself (MemberData reads the same list); this pins that it is not empty.
        Assert.True(SandboxScenarios.Names.Count >= 17, string.Join(", ", SandboxScenarios.Names));
        Assert.Equal(SandboxScenarios.Names.Count, Scenarios.Count);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Check_sends_no_write_stops_nothing_and_changes_no_service_or_file(string scenario)
    {
        var audit = await RunAsync("check", scenario);

        Assert.True(audit.ExitCode is 0 or 1 or 3, $"check --sandbox={scenario} exited {audit.ExitCode}\n{audit.Error}");
        Assert.True(audit.SqlStatements > 0, $"{scenario}: the SQL audit saw no statement at all, so it proves nothing");
        Assert.Empty(audit.SqlWrites);
        Assert.Empty(audit.WebWrites);
        Assert.Empty(audit.OrchestratorChanges);
        Assert.Equal(audit.ServicesBefore, audit.ServicesAfter);
        Assert.NotEmpty(audit.FilesBefore);
        Assert.Equal(audit.FilesBefore, audit.FilesAfter);
    }

    [Fact]
    public async Task Negative_control_prepare_is_seen_writing_by_the_same_audit()
    {
        var audit = await RunAsync("prepare", "healthy");

        Assert.True(audit.ExitCode == 0, $"prepare --sandbox=healthy exited {audit.ExitCode}\n{audit.Error}");
        Assert.Contains(audit.SqlWrites, s => s.Contains("BACKUP", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(audit.WebWrites);
        Assert.Contains(audit.OrchestratorChanges, c => c.Contains("stopped", StringComparison.Ordinal));
        Assert.NotEqual(audit.ServicesBefore, audit.ServicesAfter);
        Assert.NotEqual(audit.FilesBefore, audit.FilesAfter);
    }

    private async Task<Audit> RunAsync(string command, string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        var run = _work.CreateSubdirectory($"{command}-{scenario}");
        var sandbox = Path.Combine(run.FullName, "sandbox");
        SandboxSession? session = null;
        IReadOnlyList<string>? servicesBefore = null;
        IReadOnlyDictionary<string, string>? filesBefore = null;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = name => name == SandboxSession.PasswordVariable ? Password : null,
            FileSystem = new FileSystem(),
            CurrentDirectory = run.FullName,
            Time = TimeProvider.System,
            LocalMachineName = "audit-runner",
            SandboxDirectory = sandbox,
            SandboxStarted = started =>
            {
                session = started;
                servicesBefore = Services(started);
                filesBefore = Hashes(sandbox);
            },
        };
        string[] args = command == "prepare"
            ? ["prepare", $"--sandbox={scenario}", "--format", "json", "--output", Path.Combine(run.FullName, "out")]
            : ["check", $"--sandbox={scenario}", "--format", "json", "--check-timeout", "60s"];

        var exit = await OrchPrepCli.RunAsync(args, environment, ct);

        Assert.True(session is not null, $"{command} --sandbox={scenario} never started the sandbox: exit {exit}\n{stderr}");
        var sql = session.SqlServer.Audit;
        return new Audit(
            exit,
            stderr.ToString(),
            sql.Count,
            [.. SandboxSqlAudit.Writes(sql).Select(r => r.Text)],
            [.. (session.WebService?.Audit ?? []).Where(r => r.IsWrite).Select(r => $"{r.Method} {r.PathAndQuery}")],
            session.Orchestrator.Changes,
            servicesBefore!,
            Services(session),
            filesBefore!,
            Hashes(sandbox));
    }

    private static IReadOnlyList<string> Services(SandboxSession session) =>
        [.. session.Environment.Hosts.SelectMany(h => session.Orchestrator.Services(h.Name)).Select(s => $"{s.Host}/{s.Name}: {(s.Running ? "running" : "stopped")}")];

    /// <summary>Every file under the sandbox folder with its SHA-256 and length (a removed, added or changed file shows).</summary>
    private static SortedDictionary<string, string> Hashes(string root)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(file);
            hashes[Path.GetRelativePath(root, file)] = $"{Convert.ToHexStringLower(SHA256.HashData(stream))} {stream.Length}";
        }

        return hashes;
    }

    private sealed record Audit(
        int ExitCode,
        string Error,
        int SqlStatements,
        IReadOnlyList<string> SqlWrites,
        IReadOnlyList<string> WebWrites,
        IReadOnlyList<string> OrchestratorChanges,
        IReadOnlyList<string> ServicesBefore,
        IReadOnlyList<string> ServicesAfter,
        IReadOnlyDictionary<string, string> FilesBefore,
        IReadOnlyDictionary<string, string> FilesAfter);
}
