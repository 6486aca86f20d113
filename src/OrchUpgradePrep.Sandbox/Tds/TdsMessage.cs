namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>A client message: the payloads of its packets up to EOM, joined.</summary>
internal sealed record TdsMessage(TdsPacketType Type, byte[] Payload);
