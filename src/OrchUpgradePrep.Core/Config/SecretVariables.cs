namespace OrchUpgradePrep.Config;

/// <summary>
/// The secret variables an environment's config needs (sql.passwordEnv for auth: sql; webService.userEnv and passwordEnv
/// for auth: basic, or for negotiate when either is named). One is not set: a config error (exit 2) naming every such
/// variable, raised before any client is built or anything changes, the same for SQL and the web service.
/// The service master key password (ORCHPREP_SMK_PASSWORD) is optional: without it prepare warns and skips the key.
/// </summary>
public static class SecretVariables
{
    /// <summary>The (variable, config key) pairs the environment needs, in config order.</summary>
    public static IReadOnlyList<(string Variable, string Key)> Required(EnvironmentConfig environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var required = new List<(string, string)>();
        if (environment.Sql is { Auth: SqlAuth.Sql, PasswordEnv: { } sqlPassword })
        {
            required.Add((sqlPassword, "sql.passwordEnv"));
        }

        if (environment.WebService is { } web && (web.Auth == WebServiceAuth.Basic || (web.Auth == WebServiceAuth.Negotiate && (web.UserEnv is not null || web.PasswordEnv is not null))))
        {
            if (web.UserEnv is { } user)
            {
                required.Add((user, "webService.userEnv"));
            }

            if (web.PasswordEnv is { } password)
            {
                required.Add((password, "webService.passwordEnv"));
            }
        }

        return required;
    }

    /// <summary>Throws a <see cref="ConfigException"/> naming each required variable that is unset or empty (never a value).</summary>
    public static void EnsureSet(EnvironmentConfig environment, Func<string, string?> getEnvironmentVariable, string source)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var missing = Required(environment).Where(r => string.IsNullOrEmpty(getEnvironmentVariable(r.Variable))).ToList();
        if (missing.Count > 0)
        {
            throw new ConfigException(
                $"{source}: environment '{environment.Name}' needs {string.Join(", ", missing.Select(m => $"{m.Variable} ({m.Key})"))}, not set; " +
                "set it from a pipeline secret (in a task or action, the sqlPassword / wsUser / wsPassword inputs).");
        }
    }
}
