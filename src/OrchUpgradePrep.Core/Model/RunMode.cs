namespace OrchUpgradePrep.Model;

public enum RunMode
{
    Check,
    Prepare,
    Resume,
}

/// <summary>Overall verdict of a run; maps one to one to an exit code.</summary>
public enum RunOutcome
{
    Met,
    Unmet,
    Error,
    Cancelled,
}
