namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Column types a result set can carry.</summary>
public enum TdsTypeKind
{
    NVarChar,
    VarChar,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Bit,
    DateTime,
    DateTime2,
    Numeric,
    UniqueIdentifier,
    VarBinary,
}
