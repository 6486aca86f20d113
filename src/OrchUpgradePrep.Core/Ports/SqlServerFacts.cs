namespace OrchUpgradePrep.Ports;

/// <summary>What SERVERPROPERTY says about the instance that hosts the Orchestrator database.</summary>
public sealed record SqlServerFacts(Version ProductVersion, string? ProductLevel, string? Edition, int EngineEdition, string? ServerCollation)
{
    public const string Query =
        "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS ProductVersion, " +
        "CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(128)) AS ProductLevel, " +
        "CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS Edition, " +
        "CAST(SERVERPROPERTY('EngineEdition') AS int) AS EngineEdition, " +
        "CAST(SERVERPROPERTY('Collation') AS nvarchar(128)) AS Collation";

    public static async Task<SqlServerFacts> ReadAsync(ISqlSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var row = (await session.QueryAsync(Query, null, cancellationToken).ConfigureAwait(false)).SingleOrDefault()
            ?? throw new SqlSessionException("SERVERPROPERTY returned no row");
        var versionText = row.String("ProductVersion");
        if (!Version.TryParse(versionText, out var version))
        {
            throw new SqlSessionException($"SERVERPROPERTY('ProductVersion') returned '{versionText}', not a version");
        }

        return new SqlServerFacts(version, row.String("ProductLevel"), row.String("Edition"), (int)(row.Int64("EngineEdition") ?? 0), row.String("Collation"));
    }

    /// <summary>EngineEdition 2 = Standard (and Web), 3 = Enterprise/Developer/Evaluation, 4 = Express, 5 = Azure SQL Database,
    /// 8 = Azure SQL Managed Instance (serverproperty-transact-sql).</summary>
    public string EngineEditionName => EngineEdition switch
    {
        2 => "Standard or Web",
        3 => "Enterprise, Developer or Evaluation",
        4 => "Express",
        5 => "Azure SQL Database",
        6 => "Azure Synapse Analytics",
        8 => "Azure SQL Managed Instance",
        9 => "Azure SQL Edge",
        _ => $"engine edition {EngineEdition}",
    };
}
