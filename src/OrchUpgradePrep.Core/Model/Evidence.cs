namespace OrchUpgradePrep.Model;

/// <summary>One thing a check read, so a person can verify the verdict: where, and what it said.</summary>
public sealed record Evidence(string Source, string Value);
