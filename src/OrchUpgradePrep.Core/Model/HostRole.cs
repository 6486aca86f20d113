namespace OrchUpgradePrep.Model;

/// <summary>Orchestrator roles a host can carry. Config spells them kebab-case (management-server).</summary>
public enum HostRole
{
    ManagementServer,
    RunbookServer,
    WebService,
    WebConsole,
    Designer,
}
