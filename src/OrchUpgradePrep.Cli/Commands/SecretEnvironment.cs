using OrchUpgradePrep.Config;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>Where secrets come from: environment variables only (pipeline secrets arrive that way). Their
/// values are masked everywhere, even when the run never uses them. Only passwords, tokens and keys are secrets:
/// user names (ORCHPREP_WS_USER, webService.userEnv, ORCHPREP_SANDBOX_USER) are data, shown as they are
/// (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).</summary>
internal static class SecretEnvironment
{
    /// <summary>The password that protects the service master key backup file (prepare).</summary>
    public const string ServiceMasterKeyPassword = "ORCHPREP_SMK_PASSWORD";

    /// <summary>Variables that hold secrets by convention, whatever the config says.</summary>
    public static IReadOnlyList<string> WellKnownNames { get; } =
    [
        "ORCHPREP_SQL_PASSWORD",
        "ORCHPREP_WS_PASSWORD",
        "ORCHPREP_SANDBOX_PASSWORD",
        ServiceMasterKeyPassword,
        "ORCHPREP_WEBHOOK_SECRET",
        "ORCHPREP_GITHUB_TOKEN",
        "ORCHPREP_AZDO_TOKEN",
        "GITHUB_TOKEN",
        "SYSTEM_ACCESSTOKEN",
    ];

    public static IEnumerable<string> WellKnownSecrets(Func<string, string?> getEnvironmentVariable) =>
        Values(WellKnownVariables(getEnvironmentVariable));

    /// <summary>The well-known variables that are set, with their values (the name is for warnings, never the value).</summary>
    public static IEnumerable<SecretVariable> WellKnownVariables(Func<string, string?> getEnvironmentVariable) =>
        Variables(WellKnownNames, getEnvironmentVariable);

    /// <summary>The values of the variables the environment's config names as holding a password (passwordEnv).
    /// webService.userEnv names a user, which is not a secret.</summary>
    public static IEnumerable<string> ConfigSecrets(EnvironmentConfig environment, Func<string, string?> getEnvironmentVariable) =>
        Values(ConfigVariables(environment, getEnvironmentVariable));

    public static IEnumerable<SecretVariable> ConfigVariables(EnvironmentConfig environment, Func<string, string?> getEnvironmentVariable)
    {
        var names = new[] { environment.Sql?.PasswordEnv, environment.WebService?.PasswordEnv }.OfType<string>();
        return Variables(names, getEnvironmentVariable);
    }

    private static IEnumerable<SecretVariable> Variables(IEnumerable<string> names, Func<string, string?> getEnvironmentVariable) =>
        names.Distinct(StringComparer.Ordinal)
            .Select(n => new SecretVariable(n, getEnvironmentVariable(n) ?? string.Empty))
            .Where(v => v.Value.Length > 0);

    private static IEnumerable<string> Values(IEnumerable<SecretVariable> variables) =>
        variables.Select(v => v.Value).Distinct(StringComparer.Ordinal);
}
