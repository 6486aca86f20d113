namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>One batch or RPC as the client sent it.</summary>
/// <param name="Text">Batch text, sp_executesql's @stmt, or the procedure name for other RPCs.</param>
/// <param name="Parameters">User parameters by name (with '@'), values decoded to .NET types; NULL is null.</param>
/// <param name="ProcName">Procedure called for RPCs (sp_executesql included); null for batches.</param>
public sealed record SqlRequest(
    SqlRequestKind Kind,
    string Text,
    IReadOnlyDictionary<string, object?> Parameters,
    TdsSessionInfo Session,
    string? ProcName,
    DateTimeOffset ReceivedAt)
{
    public bool IsRpc => Kind != SqlRequestKind.Batch;
}
