namespace OrchUpgradePrep.Config;

/// <summary>A config or usage error (exit code 2). Message names file, line and column when known.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigException()
    {
    }

    public static ConfigException At(string file, long line, long column, string message) =>
        new($"{file}({line},{column}): {message}");
}
