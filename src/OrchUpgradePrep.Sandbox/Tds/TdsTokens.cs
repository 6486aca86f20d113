using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Writers for the server's token stream (MS-TDS 2.2.7).</summary>
internal static class TdsTokens
{
    public const byte ColMetadata = 0x81;
    public const byte Row = 0xD1;
    public const byte Done = 0xFD;
    public const byte DoneProc = 0xFE;
    public const byte DoneInProc = 0xFF;
    public const byte Error = 0xAA;
    public const byte Info = 0xAB;
    public const byte LoginAck = 0xAD;
    public const byte EnvChange = 0xE3;
    public const byte ReturnStatus = 0x79;

    public const ushort DoneMore = 0x01;
    public const ushort DoneError = 0x02;
    public const ushort DoneCount = 0x10;
    public const ushort DoneAttention = 0x20;

    public const ushort CurCmdSelect = 0xC1;

    /// <summary>SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, flags 0xD0, sort id 52.</summary>
    public static ReadOnlySpan<byte> Collation => [0x09, 0x04, 0xD0, 0x00, 0x34];

    /// <param name="lineNumber">The LineNumber field of INFO/ERROR: the batch line SQL Server reports (1 when the statement has no better one).</param>
    public static void WriteMessage(TdsTokenBuffer buffer, byte token, int number, byte state, byte severityClass, string message, string serverName, int lineNumber = 1)
    {
        // The token length is a u16, so keep messages well inside it.
        var text = message.Length > 4000 ? message[..4000] : message;
        buffer.WriteByte(token);
        var lengthSlot = buffer.ReserveUInt16();
        var start = buffer.Length;
        buffer.WriteInt32(number);
        buffer.WriteByte(state);
        buffer.WriteByte(severityClass);
        buffer.WriteUsVarChar(text);
        buffer.WriteBVarChar(serverName);
        buffer.WriteBVarChar(string.Empty);
        buffer.WriteUInt32((uint)Math.Max(1, lineNumber));
        buffer.PatchUInt16(lengthSlot, (ushort)(buffer.Length - start));
    }

    public static void WriteDone(TdsTokenBuffer buffer, byte token, ushort status, ushort currentCommand, long rowCount)
    {
        buffer.WriteByte(token);
        buffer.WriteUInt16(status);
        buffer.WriteUInt16(currentCommand);
        buffer.WriteUInt64((ulong)rowCount);
    }

    /// <summary>ENVCHANGE with B_VARCHAR values (database 1, language 2, packet size 4).</summary>
    public static void WriteEnvChange(TdsTokenBuffer buffer, byte type, string newValue, string oldValue)
    {
        buffer.WriteByte(EnvChange);
        var lengthSlot = buffer.ReserveUInt16();
        var start = buffer.Length;
        buffer.WriteByte(type);
        buffer.WriteBVarChar(newValue);
        buffer.WriteBVarChar(oldValue);
        buffer.PatchUInt16(lengthSlot, (ushort)(buffer.Length - start));
    }

    /// <summary>ENVCHANGE type 7: new collation as B_VARBYTE, old empty.</summary>
    public static void WriteCollationChange(TdsTokenBuffer buffer)
    {
        buffer.WriteByte(EnvChange);
        buffer.WriteUInt16((ushort)(1 + 1 + Collation.Length + 1));
        buffer.WriteByte(7);
        buffer.WriteByte((byte)Collation.Length);
        buffer.Write(Collation);
        buffer.WriteByte(0);
    }

    /// <summary>LOGINACK for TDS 7.4 and server version 16.0.1000.</summary>
    public static void WriteLoginAck(TdsTokenBuffer buffer)
    {
        const string programName = "Microsoft SQL Server";
        buffer.WriteByte(LoginAck);
        buffer.WriteUInt16((ushort)(1 + 4 + 1 + (programName.Length * 2) + 4));
        buffer.WriteByte(1);
        buffer.Write([0x74, 0x00, 0x00, 0x04]);
        buffer.WriteByte((byte)programName.Length);
        buffer.Write(Encoding.Unicode.GetBytes(programName));
        buffer.Write([16, 0, 0x03, 0xE8]);
    }

    /// <summary>ENVCHANGE 18: acknowledges a RESETCONNECTION request (empty old and new values).</summary>
    public static void WriteResetConnectionAck(TdsTokenBuffer buffer)
    {
        buffer.WriteByte(EnvChange);
        buffer.WriteUInt16(3);
        buffer.Write([18, 0, 0]);
    }

    public static void WriteReturnStatus(TdsTokenBuffer buffer, int status)
    {
        buffer.WriteByte(ReturnStatus);
        buffer.WriteInt32(status);
    }
}
