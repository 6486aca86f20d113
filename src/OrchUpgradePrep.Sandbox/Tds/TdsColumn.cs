namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>A result-set column: always sent as nullable.</summary>
public sealed record TdsColumn(string Name, TdsColumnType Type);
