namespace OrchUpgradePrep.Config;

/// <summary>Aborts the config walk when aliases expand the document beyond <see cref="ConfigLimits.MaxNodeVisits"/>.</summary>
internal sealed class ConfigNodeBudgetExceededException : Exception
{
    public ConfigNodeBudgetExceededException()
        : base("The config document expands to too many nodes.")
    {
    }
}
