namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>The client sent something this server cannot parse; the connection is dropped.</summary>
public sealed class TdsProtocolException(string message) : Exception(message);
