namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>An RPC request: the procedure (by well-known id or name) and its parameters in order.</summary>
internal sealed record RpcCall(string ProcName, ushort? ProcId, IReadOnlyList<RpcParameter> Parameters)
{
    public const ushort ExecuteSqlProcId = 10;
}
