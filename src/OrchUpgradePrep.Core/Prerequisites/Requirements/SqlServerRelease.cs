namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>A SQL Server release by its major (and for 2008 R2 minor) version: SERVERPROPERTY('ProductVersion').</summary>
public sealed record SqlServerRelease(string Name, int Major, int Minor = 0)
{
    public static SqlServerRelease Sql2008R2 { get; } = new("SQL Server 2008 R2", 10, 50);
    public static SqlServerRelease Sql2012 { get; } = new("SQL Server 2012", 11);
    public static SqlServerRelease Sql2014 { get; } = new("SQL Server 2014", 12);
    public static SqlServerRelease Sql2016 { get; } = new("SQL Server 2016", 13);
    public static SqlServerRelease Sql2017 { get; } = new("SQL Server 2017", 14);
    public static SqlServerRelease Sql2019 { get; } = new("SQL Server 2019", 15);
    public static SqlServerRelease Sql2022 { get; } = new("SQL Server 2022", 16);
    public static SqlServerRelease Sql2025 { get; } = new("SQL Server 2025", 17);

    public static IReadOnlyList<SqlServerRelease> Known { get; } = [Sql2008R2, Sql2012, Sql2014, Sql2016, Sql2017, Sql2019, Sql2022, Sql2025];

    /// <summary>The release of a ProductVersion like 15.0.4382.1; 10.0 (2008) and unknown majors give null.</summary>
    public static SqlServerRelease? For(Version productVersion) =>
        Known.FirstOrDefault(r => r.Major == productVersion.Major && (r.Major != 10 || r.Minor == productVersion.Minor));

    public override string ToString() => Name;
}
