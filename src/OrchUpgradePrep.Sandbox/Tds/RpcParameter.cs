namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>One RPC parameter: name as sent (may be empty for positional ones) and its decoded value.</summary>
internal sealed record RpcParameter(string Name, object? Value);
