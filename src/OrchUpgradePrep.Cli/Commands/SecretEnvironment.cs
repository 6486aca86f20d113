using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>Where secrets come from: environment variables only (pipeline secrets arrive that way). Their
/// values are masked everywhere, even when the run never uses them.</summary>
internal static class SecretEnvironment
{
    /// <summary>The password that protects the service master key backup file (prepare).</summary>
    public const string ServiceMasterKeyPassword = "ORCHPREP_SMK_PASSWORD";

    /// <summary>Variables that hold secrets by convention, whatever the config says.</summary>
    public static IReadOnlyList<string> WellKnownNames { get; } =
    [
        "ORCHPREP_SQL_PASSWORD",
        "ORCHPREP_WS_USER",
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
        Values(WellKnownNames, getEnvironmentVariable);

    /// <summary>The values of the variables the environment's config names (passwordEnv, userEnv).</summary>
    public static IEnumerable<string> ConfigSecrets(EnvironmentConfig environment, Func<string, string?> getEnvironmentVariable)
    {
        var names = new[] { environment.Sql?.PasswordEnv, environment.WebService?.PasswordEnv, environment.WebService?.UserEnv }
            .OfType<string>();
        return Values(names, getEnvironmentVariable);
    }

    private static IEnumerable<string> Values(IEnumerable<string> names, Func<string, string?> getEnvironmentVariable) =>
        names.Select(getEnvironmentVariable).OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal);
}
