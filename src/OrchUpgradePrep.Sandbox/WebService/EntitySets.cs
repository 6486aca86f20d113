namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>The entity sets the sandbox serves; names are case-sensitive, as in the real service.</summary>
internal static class EntitySets
{
    public const string Jobs = "Jobs";
    public const string Runbooks = "Runbooks";
    public const string RunbookServers = "RunbookServers";

    public static readonly IReadOnlyList<string> All = [Jobs, Runbooks, RunbookServers];
}
