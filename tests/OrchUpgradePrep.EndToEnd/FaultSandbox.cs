using OrchUpgradePrep.Sandbox;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// A sandbox started inside the test process with extra faults (<see cref="SandboxFaults"/>), written out as a plain
/// config: the orchprep process then runs against it with --config, its real SqlClient and HTTP client failing for real.
/// </summary>
internal sealed class FaultSandbox : IAsyncDisposable
{
    public const string Password = "e2e-Fault-Pw-31";
    private const string WebUser = "e2e-fault-user";

    private FaultSandbox(SandboxSession session, string directory)
    {
        Session = session;
        Directory = directory;
    }

    public SandboxSession Session { get; }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "sandbox.orchprep.yml");

    /// <summary>Where the simulated SQL Server writes its backups.</summary>
    public string BackupDirectory => Path.Combine(Session.Directory, "sql");

    public Dictionary<string, string?> Env { get; } = new()
    {
        [SandboxSession.PasswordVariable] = Password,
        [SandboxSession.UserVariable] = WebUser,
    };

    public static async Task<FaultSandbox> StartAsync(string directory, string scenario, SandboxFaults? faults = null, TimeProvider? sqlClock = null,
        Func<string, string>? editConfig = null)
    {
        var session = await SandboxSession.StartAsync(scenario, sqlClock ?? TimeProvider.System, TestContext.Current.CancellationToken,
            Path.Combine(directory, "orchprep-sandbox"), sqlPassword: Password, webUser: WebUser, faults: faults);
        var config = SandboxConfigWriter.Render(session, directory);
        File.WriteAllText(Path.Combine(directory, "sandbox.orchprep.yml"), editConfig is null ? config : editConfig(config));
        return new FaultSandbox(session, directory);
    }

    public Task<ProcessRun> RunAsync(params string[] args) =>
        OrchPrepProcess.RunAsync(Directory, Env, [args[0], "--config", ConfigPath, .. args[1..]]);

    public ValueTask DisposeAsync() => Session.DisposeAsync();
}

/// <summary>A clock that runs <paramref name="offset"/> ahead (or behind) of the machine's: a server whose clock jumped.</summary>
internal sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
