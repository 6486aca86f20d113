using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Host;
using OrchUpgradePrep.Sandbox.Scenarios;

namespace OrchUpgradePrep.Sandbox;

/// <summary>
/// A running simulated environment: the scenario's hosts written as snapshot folders, the environment
/// config that points at them, and the host-facts source that reads them with the real snapshot reader.
/// </summary>
public sealed class SandboxSession : IAsyncDisposable
{
    public const string EnvironmentName = "sandbox";

    private readonly bool _ownsDirectory;

    private SandboxSession(string directory, bool ownsDirectory, EnvironmentConfig environment, IHostFactsSource hostFacts, string scenario)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Environment = environment;
        HostFacts = hostFacts;
        Scenario = scenario;
    }

    public string Directory { get; }

    public string Scenario { get; }

    public EnvironmentConfig Environment { get; }

    public IHostFactsSource HostFacts { get; }

    /// <summary>Writes the scenario into <paramref name="directory"/> (a new temp folder, removed on dispose, when null).</summary>
    public static Task<SandboxSession> StartAsync(string scenarioName, TimeProvider time, CancellationToken cancellationToken, string? directory = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var scenario = SandboxScenarios.Find(scenarioName);
        var ownsDirectory = directory is null;
        var root = directory ?? Path.Combine(Path.GetTempPath(), "orchprep-sandbox-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(root);

        var hosts = new List<HostConfig>();
        foreach (var host in scenario.Hosts())
        {
            var relative = Path.Combine("snapshots", host.Name);
            SandboxSnapshotWriter.Write(host, Path.Combine(root, relative));
            hosts.Add(new HostConfig { Name = host.Name, Roles = host.Roles, Snapshot = relative });
        }

        var environment = new EnvironmentConfig { Name = EnvironmentName, Target = scenario.Target, Hosts = hosts };

        // The runner's own machine is never one of the sandbox hosts: every host is read from its snapshot.
        IHostFactsSource source = new HostFactsSource(new System.IO.Abstractions.FileSystem(), root, "orchprep-sandbox-runner");
        if (scenario.HostLatency > TimeSpan.Zero)
        {
            source = new LatentHostFactsSource(source, scenario.HostLatency, time);
        }

        return Task.FromResult(new SandboxSession(root, ownsDirectory, environment, source, scenario.Name));
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; failing the run over it is not.
            }
        }

        return ValueTask.CompletedTask;
    }
}
