using System.IO.Abstractions;
using System.Security.Cryptography;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox;

/// <summary>
/// `check` changes nothing, in every sandbox scenario: the whole command (OrchPrepCli in-process, as Program.cs runs it)
/// against the sandbox, then its audit logs: no write statement reached the SQL Server, no POST/PUT/PATCH/MERGE/DELETE the
/// web service, the simulated Orchestrator recorded no job stop or service change, every host's services are as they
/// were, and no file of the sandbox folder (host snapshots, backup folder) was added, removed or modified.
/// The negative control runs `prepare` through the same audit and sees all of these: the audit can see a write.
/// The same audit runs `check` under every fault the fault matrix injects into an in-test sandbox (docs/reliability.md):
/// a failing server must not tempt check into a retry that writes, or a fallback that changes something.
/// </summary>
public sealed class NoWriteAuditTests : IDisposable
{
    private const string Password = "Pw-nowrite-4711";

    /// <summary>A runbook with a running job in the "healthy" scenario, which the job-restarts fault starts again after a stop.</summary>
    private const string RestartedRunbook = "Month-end close";
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

    /// <summary>The faults of the fault matrix's in-test sandbox rows (tests/OrchUpgradePrep.EndToEnd/FaultMatrix.cs), by name.
    /// Every SQL fault joins by itself; web service faults and clocks are the matrix's.</summary>
    public static TheoryData<string> Faults => new(
    [
        .. Enum.GetValues<SandboxSqlFault>().Where(f => f != SandboxSqlFault.None).Select(f => $"sql:{f}"),
        "web:fail-every-500", "web:fail-every-503", "web:never-answers", "web:slow-loris", "web:malformed-xml", "web:endless-paging", "web:flaky",
        "sql:latency", "sql-clock:+1d", "sql-clock:-3d", "orchestrator:job-restarts",
    ]);

    private static (SandboxFaults? Faults, TimeProvider Clock) FaultOf(string name) => name switch
    {
        _ when name.StartsWith("sql:", StringComparison.Ordinal) && Enum.TryParse<SandboxSqlFault>(name[4..], out var sql) => (new SandboxFaults { Sql = sql }, TimeProvider.System),
        "web:fail-every-500" => (new SandboxFaults { Web = new SandboxWebServiceFaults { FailEvery = 1, FailStatus = 500 } }, TimeProvider.System),
        "web:fail-every-503" => (new SandboxFaults { Web = new SandboxWebServiceFaults { FailEvery = 1, FailStatus = 503 } }, TimeProvider.System),
        "web:never-answers" => (new SandboxFaults { Web = new SandboxWebServiceFaults { Latency = TimeSpan.FromMinutes(5) } }, TimeProvider.System),
        "web:slow-loris" => (new SandboxFaults { Web = new SandboxWebServiceFaults { TrickleDelay = TimeSpan.FromMilliseconds(500) } }, TimeProvider.System),
        "web:malformed-xml" => (new SandboxFaults { Web = new SandboxWebServiceFaults { MalformedFeeds = true } }, TimeProvider.System),
        "web:endless-paging" => (new SandboxFaults { Web = new SandboxWebServiceFaults { EndlessPaging = true } }, TimeProvider.System),
        "web:flaky" => (new SandboxFaults { Web = new SandboxWebServiceFaults { FailEvery = 3, ResetEvery = 7 } }, TimeProvider.System),
        "sql:latency" => (new SandboxFaults { SqlLatency = TimeSpan.FromSeconds(4) }, TimeProvider.System),
        "orchestrator:job-restarts" => (new SandboxFaults { JobRestarts = new SandboxJobRestarts(RestartedRunbook, Times: null) }, TimeProvider.System),
        "sql-clock:+1d" => (null, new ShiftedClock(TimeSpan.FromDays(1))),
        "sql-clock:-3d" => (null, new ShiftedClock(TimeSpan.FromDays(-3))),
        _ => throw new ArgumentException($"no fault named {name}", nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Check_under_a_fault_of_the_matrix_sends_no_write_stops_nothing_and_changes_no_service_or_file(string fault)
    {
        var ct = TestContext.Current.CancellationToken;
        var run = _work.CreateSubdirectory(fault.Replace(':', '-').Replace('+', 'p'));
        var (faults, clock) = FaultOf(fault);
        // "busy" has running jobs (month-end close among them) and monitors: the world where a write (a stop, a service change) would be tempting.
        await using var session = await SandboxSession.StartAsync("busy", clock, ct, Path.Combine(run.FullName, "sandbox"), sqlPassword: Password, faults: faults);
        var config = Path.Combine(run.FullName, "orchprep.yml");
        await File.WriteAllTextAsync(config, SandboxConfigWriter.Render(session, run.FullName), ct);
        var servicesBefore = Services(session);
        var filesBefore = Hashes(session.Directory);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = name => name switch
            {
                SandboxSession.PasswordVariable => Password,
                SandboxSession.UserVariable => SandboxSqlServerOptions.DefaultLogin,
                _ => null,
            },
            FileSystem = new FileSystem(),
            CurrentDirectory = run.FullName,
            Time = TimeProvider.System,
            LocalMachineName = "audit-runner",
        };

        var exit = await OrchPrepCli.RunAsync(["check", "--config", config, "--format", "json", "--check-timeout", "2s"], environment, ct);

        Assert.True(exit is 0 or 1 or 3, $"check under {fault} exited {exit}\n{stderr}");
        Assert.True(session.SqlServer.Audit.Count > 0 || fault == "sql:latency", $"{fault}: the SQL audit saw no statement at all, so it proves nothing");
        Assert.Empty(SandboxSqlAudit.Writes(session.SqlServer.Audit).Select(r => r.Text));
        Assert.Empty((session.WebService?.Audit ?? []).Where(r => r.IsWrite).Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.Empty(session.Orchestrator.Changes);
        Assert.Equal(servicesBefore, Services(session));
        Assert.Equal(filesBefore, Hashes(session.Directory));
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
        };
        var launcher = new KeptSandboxLauncher(sandbox, started =>
        {
            session = started;
            servicesBefore = Services(started);
            filesBefore = Hashes(sandbox);
        });
        string[] args = command == "prepare"
            ? ["prepare", $"--sandbox={scenario}", "--format", "json", "--output", Path.Combine(run.FullName, "out")]
            : ["check", $"--sandbox={scenario}", "--format", "json", "--check-timeout", "60s"];

        var exit = await OrchPrepCli.RunAsync(args, environment, ct, launcher);

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

    /// <summary>A SQL Server whose clock jumped (CLK-01, CLK-02).</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
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
