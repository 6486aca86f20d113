namespace OrchUpgradePrep.Model;

/// <summary>Outcome of one check on one host. Written lower-case in reports.</summary>
public enum CheckStatus
{
    Met,
    Unmet,
    Warning,
    Skipped,
    Error,
}
