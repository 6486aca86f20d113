namespace OrchUpgradePrep.Model;

/// <summary>The five prerequisites of an Orchestrator upgrade (docs/architecture.md#prerequisites).</summary>
public enum Prerequisite
{
    Runbooks,
    Programs,
    Restart,
    Backup,
    Requirements,
}
