namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>
/// The machine orchprep runs on, as the configured hosts name it ("." and "localhost" too), and whether it is a
/// container: inside one, "this machine" is the container — its own clean registry, services, processes and sessions —
/// never the host it runs on, so reading it as an Orchestrator host would prove nothing (docs/containers.md).
/// </summary>
/// <param name="ContainerEvidence">What showed that orchprep runs in a container (e.g. "/.dockerenv exists"); null outside one.</param>
public sealed record LocalMachine(string Name, string? ContainerEvidence = null)
{
    public bool IsContainer => ContainerEvidence is not null;

    /// <summary>True when <paramref name="hostName"/> names this machine (its short name, case-insensitive, or "." / "localhost").</summary>
    public bool Is(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        return hostName is "." or "localhost"
            || string.Equals(hostName.Split('.')[0], Name.Split('.')[0], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The error for a local host inside a container: what happened and the two ways that do read the host.</summary>
    public string ContainerRefusal(string hostName, string what) =>
        $"{hostName}: orchprep runs in a container ({ContainerEvidence}), where this machine is the container, not the host: {what}. " +
        "Read this host over CIM/WinRM by its real name from a Windows container or runner, or from a snapshot (hosts[].snapshot); see docs/containers.md.";
}
