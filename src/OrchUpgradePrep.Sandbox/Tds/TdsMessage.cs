namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>A client message: the payloads of its packets up to EOM, joined.</summary>
/// <param name="ResetConnection">A pooled connection was reused: reset the session before running this request.</param>
internal sealed record TdsMessage(TdsPacketType Type, byte[] Payload, bool ResetConnection = false);
