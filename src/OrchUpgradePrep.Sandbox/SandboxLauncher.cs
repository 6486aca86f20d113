namespace OrchUpgradePrep.Sandbox;

/// <summary>What a --sandbox run asks of the sandbox it starts.</summary>
/// <param name="World">Where prepare and resume continue the world of an earlier run and keep the server's disk; null for check (fresh, kept nowhere).</param>
/// <param name="CreateServerDisk">prepare: create the kept disk; resume: use it only when prepare made it.</param>
public sealed record SandboxLaunch(string Scenario, TimeProvider Time, string SqlPassword, string WebUser, SandboxWorldStore? World, bool CreateServerDisk);

/// <summary>Starts the sandbox a --sandbox run checks, prepares or resumes. The CLI's composition takes one; tests pass
/// their own to keep the sandbox's folder and watch the session.</summary>
public interface ISandboxLauncher
{
    Task<SandboxSession> StartAsync(SandboxLaunch launch, CancellationToken cancellationToken);
}

/// <summary>The product's launcher: a temp folder removed at the end, the world and the server's disk in the world store.</summary>
public sealed class SandboxLauncher : ISandboxLauncher
{
    public Task<SandboxSession> StartAsync(SandboxLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return SandboxSession.StartAsync(launch.Scenario, launch.Time, cancellationToken, sqlPassword: launch.SqlPassword,
            worldFile: launch.World?.WorldFile(launch.Scenario), webUser: launch.WebUser, serverDisk: launch.World?.ServerDisk(launch.CreateServerDisk));
    }
}
