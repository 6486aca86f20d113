namespace OrchUpgradePrep.Config;

/// <summary>Recognises keys under which someone put a secret into the file instead of naming an environment variable.</summary>
internal static class SecretKeys
{
    private static readonly string[] ExactNames = ["pat", "pwd", "passwd", "pass"];
    private static readonly string[] Fragments = ["password", "secret", "token", "apikey", "api-key", "api_key", "credential"];

    public static bool LooksLikeSecret(string key)
    {
        var lowered = key.ToLowerInvariant();

        // passwordEnv / userEnv name a variable; they are the sanctioned way to give a secret.
        if (lowered.EndsWith("env", StringComparison.Ordinal))
        {
            return false;
        }

        return ExactNames.Contains(lowered) || Fragments.Any(f => lowered.Contains(f, StringComparison.Ordinal));
    }

    public static string Message(string key) =>
        $"'{key}' looks like a secret, and secrets never go in the config file: put the value in an environment " +
        "variable (in a pipeline, a secret variable) and name that variable with 'passwordEnv' (or 'userEnv'). " +
        "The value was not read; remove it from the file.";
}
