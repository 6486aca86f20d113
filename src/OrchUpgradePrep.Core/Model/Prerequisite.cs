namespace OrchUpgradePrep.Model;

/// <summary>The five prerequisites of an Orchestrator upgrade (design.md).</summary>
public enum Prerequisite
{
    Runbooks,
    Programs,
    Restart,
    Backup,
    Requirements,
}
