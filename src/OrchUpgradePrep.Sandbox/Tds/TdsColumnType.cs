namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>A column's SQL type; build with the factory members.</summary>
public sealed record TdsColumnType(TdsTypeKind Kind, int MaxLength = 0, byte Precision = 0, byte Scale = 0)
{
    public static TdsColumnType NVarChar(int maxChars) => new(TdsTypeKind.NVarChar, CheckLength(maxChars, 4000));

    public static TdsColumnType VarChar(int maxChars) => new(TdsTypeKind.VarChar, CheckLength(maxChars, 8000));

    /// <summary>varbinary(n) (thumbprints: varbinary(20), sys.certificates and sys.dm_database_encryption_keys).</summary>
    public static TdsColumnType VarBinary(int maxBytes) => new(TdsTypeKind.VarBinary, CheckLength(maxBytes, 8000));

    public static TdsColumnType TinyInt { get; } = new(TdsTypeKind.TinyInt);

    public static TdsColumnType SmallInt { get; } = new(TdsTypeKind.SmallInt);

    public static TdsColumnType Int { get; } = new(TdsTypeKind.Int);

    public static TdsColumnType BigInt { get; } = new(TdsTypeKind.BigInt);

    public static TdsColumnType Bit { get; } = new(TdsTypeKind.Bit);

    public static TdsColumnType DateTime { get; } = new(TdsTypeKind.DateTime);

    /// <summary>datetime2(7).</summary>
    public static TdsColumnType DateTime2 { get; } = new(TdsTypeKind.DateTime2, Scale: 7);

    public static TdsColumnType UniqueIdentifier { get; } = new(TdsTypeKind.UniqueIdentifier);

    public static TdsColumnType Numeric(byte precision, byte scale)
    {
        // No PLP or wider types here: precision is what decimal can carry on the wire (1..38).
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, (byte)1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, (byte)38);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, precision);
        return new(TdsTypeKind.Numeric, 0, precision, scale);
    }

    private static int CheckLength(int maxChars, int limit)
    {
        // (max) types need PLP encoding, which this sandbox does not write.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxChars, limit);
        return maxChars;
    }
}
