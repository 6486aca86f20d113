namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Packet header type byte (MS-TDS 2.2.3.1.1).</summary>
internal enum TdsPacketType : byte
{
    SqlBatch = 0x01,
    Rpc = 0x03,
    TabularResult = 0x04,
    Attention = 0x06,
    Login7 = 0x10,
    Sspi = 0x11,
    PreLogin = 0x12,
}
