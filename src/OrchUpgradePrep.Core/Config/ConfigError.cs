namespace OrchUpgradePrep.Config;

/// <summary>One problem found in a config file, at a 1-based line and column.</summary>
internal sealed record ConfigError(long Line, long Column, string Message);
