namespace OrchUpgradePrep.Config;

/// <summary>The allowed keys of each orchprep.yml mapping; the contract of docs/configuration.md and docs/orchprep.schema.json.</summary>
internal static class ConfigKeys
{
    public static readonly string[] Root = ["environments"];
    public static readonly string[] Environment = ["target", "sql", "webService", "hosts", "policies"];
    public static readonly string[] Sql = ["server", "database", "auth", "user", "passwordEnv", "encrypt", "trustServerCertificate"];
    public static readonly string[] WebService = ["url", "auth", "userEnv", "passwordEnv"];
    public static readonly string[] Host = ["name", "roles", "snapshot"];
    public static readonly string[] Policies = ["drain", "backup", "verify", "restart", "upgradeAccount", "services"];
    public static readonly string[] Drain = ["mode", "timeout", "pollInterval", "monitors"];
    public static readonly string[] Backup = ["directory", "stripes", "compression", "keep", "removeUnverified", "maxAge"];
    public static readonly string[] Verify = ["level", "restoreServer"];
    public static readonly string[] Restart = ["skip"];
    public static readonly string[] Services = ["stopTimeout"];
    public static readonly string[] Skip = ["id", "reason"];
}
