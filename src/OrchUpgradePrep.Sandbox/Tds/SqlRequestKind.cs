namespace OrchUpgradePrep.Sandbox.Tds;

public enum SqlRequestKind
{
    /// <summary>SQLBatch packet: plain T-SQL text.</summary>
    Batch,

    /// <summary>RPC to sp_executesql: a parameterised command.</summary>
    ExecuteSql,

    /// <summary>RPC to any other procedure (CommandType.StoredProcedure).</summary>
    ProcedureCall,
}
