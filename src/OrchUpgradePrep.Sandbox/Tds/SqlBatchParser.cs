using System.Buffers.Binary;
using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Reads the SQLBatch and RPC payloads (MS-TDS 2.2.6.6, 2.2.6.7).</summary>
internal static class SqlBatchParser
{
    /// <summary>Well-known procedure ids (MS-TDS 2.2.6.6, ProcID).</summary>
    private static readonly string[] ProcIdNames =
    [
        string.Empty, "sp_cursor", "sp_cursoropen", "sp_cursorprepare", "sp_cursorexecute", "sp_cursorprepexec",
        "sp_cursorunprepare", "sp_cursorfetch", "sp_cursoroption", "sp_cursorclose", "sp_executesql",
        "sp_prepare", "sp_execute", "sp_prepexec", "sp_prepexecrpc", "sp_unprepare",
    ];

    public static string ReadBatchText(byte[] payload)
    {
        var start = SkipAllHeaders(payload);
        return Encoding.Unicode.GetString(payload, start, payload.Length - start);
    }

    public static RpcCall ReadRpc(byte[] payload)
    {
        var reader = new TdsPayloadReader(payload, SkipAllHeaders(payload));
        var nameLength = reader.ReadUInt16();
        string procName;
        ushort? procId = null;
        if (nameLength == 0xFFFF)
        {
            procId = reader.ReadUInt16();
            procName = procId < ProcIdNames.Length ? ProcIdNames[procId.Value] : $"proc#{procId}";
        }
        else
        {
            procName = Encoding.Unicode.GetString(reader.ReadBytes(nameLength * 2));
        }

        reader.ReadUInt16();
        var parameters = new List<RpcParameter>();
        // Each parameter consumes at least its name length byte, so the payload bounds the loop.
        while (reader.Remaining > 0)
        {
            var next = payload[reader.Position];
            // 0x80 / 0xFF separate further RPCs in one message (SqlBatch API); only the first is served.
            if (next is 0x80 or 0xFF)
            {
                break;
            }

            var name = reader.ReadBVarChar();
            reader.ReadByte();
            parameters.Add(new RpcParameter(name, TdsParameterDecoder.ReadValue(reader)));
        }

        return new RpcCall(procName, procId, parameters);
    }

    /// <summary>ALL_HEADERS starts with its own total length (u32); SqlClient always sends it.</summary>
    private static int SkipAllHeaders(byte[] payload)
    {
        if (payload.Length < 4)
        {
            return 0;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return length >= 4 && length <= payload.Length ? (int)length : throw new TdsProtocolException($"ALL_HEADERS length {length} is invalid");
    }
}
