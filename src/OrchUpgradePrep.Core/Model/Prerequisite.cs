namespace OrchUpgradePrep.Model;

/// <summary>The prerequisites of an Orchestrator upgrade (docs/architecture.md#prerequisites). <see cref="Accounts"/>
/// was added after the first five (docs/adr/0019-accounts-prerequisite-and-unconfirmed-tables.md): new values go last.</summary>
public enum Prerequisite
{
    Runbooks,
    Programs,
    Restart,
    Backup,
    Requirements,
    Accounts,
}
