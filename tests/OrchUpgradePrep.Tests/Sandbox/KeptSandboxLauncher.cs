using OrchUpgradePrep.Sandbox;

namespace OrchUpgradePrep.Tests.Sandbox;

/// <summary>
/// The tests' sandbox launcher: the sandbox's folder is <paramref name="directory"/>, kept after the run so a test can read
/// its snapshots, and <paramref name="started"/> gets the session before anything runs against it, so a test can audit
/// what the run did to it. Like the product's, it continues the world prepare saved; the simulated server's disk stays in
/// the folder.
/// </summary>
internal sealed class KeptSandboxLauncher(string directory, Action<SandboxSession>? started = null) : ISandboxLauncher
{
    public async Task<SandboxSession> StartAsync(SandboxLaunch launch, CancellationToken cancellationToken)
    {
        var session = await SandboxSession.StartAsync(launch.Scenario, launch.Time, cancellationToken, directory: directory, sqlPassword: launch.SqlPassword,
            worldFile: launch.World?.WorldFile(launch.Scenario), webUser: launch.WebUser);
        started?.Invoke(session);
        return session;
    }
}
