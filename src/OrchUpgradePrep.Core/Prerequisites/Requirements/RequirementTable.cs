using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// What each Orchestrator version requires of a host, in one place, as data. Every row cites its source;
/// rows the sources mark unconfirmed say so, and the checks repeat that in their detail.
/// Source: SystemCenterDocs includes/system-reqs-orch-&lt;version&gt;.md and
/// https://learn.microsoft.com/system-center/orchestrator/install (docs/requirements.md#host-requirements).
/// </summary>
public static class RequirementTable
{
    public const string Source = "https://learn.microsoft.com/system-center/orchestrator/install";

    private const long MiB = 1024L * 1024;
    private const long GiB = 1024 * MiB;

    private static readonly VersionRequirements[] Rows =
    [
        new()
        {
            Version = TargetVersion.V2012R2,
            SupportedSqlServers = [SqlServerRelease.Sql2008R2, SqlServerRelease.Sql2012],
            MinimumSql2008R2ServicePack = 1,
            SupportedServers = [WindowsServerRelease.Server2008R2, WindowsServerRelease.Server2012, WindowsServerRelease.Server2012R2],
            DesktopExperienceRequired = false,
            MinimumMemoryBytes = 1 * GiB,
            MinimumCpuCores = 2,
            MinimumClockMHz = 2100,
            MinimumFreeDiskBytes = 200 * MiB,
            NetFramework35Sp1Required = true,
            MinimumNetFramework = DotNetFrameworkRelease.V45,
            RecommendedNetFramework = null,
            IisForWebRoles = true,
            Confirmed = false,
            SourceNote = "System Center 2012 R2 requirements as a published book lists them",
        },
        new()
        {
            Version = TargetVersion.V2016,
            SupportedSqlServers = [SqlServerRelease.Sql2012, SqlServerRelease.Sql2014, SqlServerRelease.Sql2016],
            SupportedServers = [WindowsServerRelease.Server2012R2, WindowsServerRelease.Server2016],
            DesktopExperienceRequired = true,
            MinimumMemoryBytes = 2 * GiB,
            MinimumCpuCores = 2,
            MinimumClockMHz = 2100,
            MinimumFreeDiskBytes = 200 * MiB,
            NetFramework35Sp1Required = true,
            MinimumNetFramework = DotNetFrameworkRelease.V45,
            RecommendedNetFramework = null,
            IisForWebRoles = true,
            SourceNote = "SystemCenterDocs includes/system-reqs-orch-2016.md",
        },
        new()
        {
            Version = TargetVersion.V2019,
            SupportedSqlServers = [SqlServerRelease.Sql2016, SqlServerRelease.Sql2017],
            SqlServersAddedByUpdates = [new(SqlServerRelease.Sql2022, SinceRollup: null, "SystemCenterDocs whats-new-orchestrator-2019 (which 2019 update added it: unconfirmed)")],
            SupportedServers = [WindowsServerRelease.Server2016, WindowsServerRelease.Server2019],
            DesktopExperienceRequired = true,
            MinimumMemoryBytes = 2 * GiB,
            MinimumCpuCores = 2,
            MinimumClockMHz = 2100,
            MinimumFreeDiskBytes = 200 * MiB,
            NetFramework35Sp1Required = true,
            MinimumNetFramework = DotNetFrameworkRelease.V45,
            RecommendedNetFramework = null,
            IisForWebRoles = true,
            SourceNote = "SystemCenterDocs includes/system-reqs-orch-2019.md",
        },
        new()
        {
            Version = TargetVersion.V2022,
            SupportedSqlServers = [SqlServerRelease.Sql2017, SqlServerRelease.Sql2019, SqlServerRelease.Sql2022],
            DisputedSqlServers = [SqlServerRelease.Sql2017, SqlServerRelease.Sql2022],
            SupportedServers = [WindowsServerRelease.Server2019, WindowsServerRelease.Server2022],
            DesktopExperienceRequired = true,
            MinimumMemoryBytes = 2 * GiB,
            MinimumCpuCores = 2,
            MinimumClockMHz = 2100,
            MinimumFreeDiskBytes = 200 * MiB,
            NetFramework35Sp1Required = false,
            MinimumNetFramework = DotNetFrameworkRelease.V45,
            RecommendedNetFramework = DotNetFrameworkRelease.V472,
            HostingBundles =
            [
                new(SinceRollup: 0, Majors: [5]),
                new(SinceRollup: 1, Majors: [6]),
                new(SinceRollup: 3, Majors: [6, 8]),
            ],
            OleDbDriverMinimumMajor = 18,
            IisForWebRoles = true,
            SourceNote = "SystemCenterDocs includes/system-reqs-orch-2022.md",
        },
        new()
        {
            Version = TargetVersion.V2025,
            SupportedSqlServers = [SqlServerRelease.Sql2017, SqlServerRelease.Sql2019, SqlServerRelease.Sql2022],
            SupportedServers = [WindowsServerRelease.Server2022, WindowsServerRelease.Server2025],
            DesktopExperienceRequired = true,
            MinimumMemoryBytes = 2 * GiB,
            MinimumCpuCores = 2,
            MinimumClockMHz = 2100,
            MinimumFreeDiskBytes = 200 * MiB,
            NetFramework35Sp1Required = false,
            MinimumNetFramework = DotNetFrameworkRelease.V45,
            RecommendedNetFramework = DotNetFrameworkRelease.V472,
            HostingBundles = [new(SinceRollup: 0, Majors: [8])],
            SqlServersAddedByUpdates = [new(SqlServerRelease.Sql2025, SinceRollup: 1, "SystemCenterDocs whats-new-orchestrator-2025 (UR1)")],
            OleDbDriverMinimumMajor = 19,
            MinimumVcRedist = new Version(14, 34),
            IisForWebRoles = true,
            SourceNote = "SystemCenterDocs includes/system-reqs-orch-2025.md",
        },
    ];

    public static IReadOnlyList<VersionRequirements> All => Rows;

    public static VersionRequirements For(TargetVersion version) => Rows.Single(r => r.Version == version);
}

/// <summary>One version's row of <see cref="RequirementTable"/>.</summary>
public sealed record VersionRequirements
{
    public required TargetVersion Version { get; init; }
    public required IReadOnlyList<WindowsServerRelease> SupportedServers { get; init; }

    /// <summary>2016 and later: "Desktop Experience only" (no Server Core).</summary>
    public required bool DesktopExperienceRequired { get; init; }

    /// <summary>SQL Server releases that may host the Orchestrator database. 2022's page is inconsistent (its
    /// table says 2017, 2019; its text 2019, 2022): the union is accepted and 2017/2022 get a warning.</summary>
    public required IReadOnlyList<SqlServerRelease> SupportedSqlServers { get; init; }

    /// <summary>SQL Server releases a source lists for this version while another contradicts it.</summary>
    public IReadOnlyList<SqlServerRelease> DisputedSqlServers { get; init; } = [];

    /// <summary>2012 R2 needs SQL Server 2008 R2 SP1 or later within 2008 R2.</summary>
    public int? MinimumSql2008R2ServicePack { get; init; }

    /// <summary>Every version requires this database collation.</summary>
    public string Collation { get; init; } = "SQL_Latin1_General_CP1_CI_AS";
    public required long MinimumMemoryBytes { get; init; }
    public required int MinimumCpuCores { get; init; }
    public required int MinimumClockMHz { get; init; }

    /// <summary>Free space Setup needs on the install drive.</summary>
    public required long MinimumFreeDiskBytes { get; init; }
    public required bool NetFramework35Sp1Required { get; init; }
    public required DotNetFrameworkRelease MinimumNetFramework { get; init; }

    /// <summary>Below this (but at or above the minimum) the check warns.</summary>
    public DotNetFrameworkRelease? RecommendedNetFramework { get; init; }

    /// <summary>SQL Server releases an update rollup added after the release (2019: SQL Server 2022; 2025 UR1: SQL Server 2025).</summary>
    public IReadOnlyList<SqlServerAddedByUpdate> SqlServersAddedByUpdates { get; init; } = [];

    /// <summary>The ASP.NET Core Hosting Bundle majors the Web API accepts, by update rollup (2022 RTM: .NET Core 5;
    /// UR1: .NET 6; UR3: .NET 6 or 8; 2025: .NET 8); empty before 2022.</summary>
    public IReadOnlyList<HostingBundleRequirement> HostingBundles { get; init; } = [];

    /// <summary>The oldest Microsoft OLE DB Driver for SQL Server major every server needs (2022: 18; 2025: 19); null before 2022.</summary>
    public int? OleDbDriverMinimumMajor { get; init; }

    /// <summary>The oldest Visual C++ 2015–2022 Redistributable (x64) Setup needs (2025: 14.34); null where the requirements page names none.</summary>
    public Version? MinimumVcRedist { get; init; }
    public required bool IisForWebRoles { get; init; }

    /// <summary>False when the source itself is unconfirmed (2012 R2).</summary>
    public bool Confirmed { get; init; } = true;
    public required string SourceNote { get; init; }

    public string Name => Version.ToName();

    /// <summary>The Hosting Bundle majors a level's Web API accepts; null when the version has no ASP.NET Core Web API.</summary>
    public IReadOnlyList<int>? HostingBundleMajorsFor(TargetLevel level) =>
        HostingBundles.LastOrDefault(h => level.Includes(h.SinceRollup))?.Majors;

    /// <summary>Appended to a verdict's detail when the row itself is unconfirmed, so a pass says so too.</summary>
    public string UnconfirmedNote => Confirmed ? string.Empty : $" (Orchestrator {Name}'s requirements are unconfirmed; see docs/requirements.md.)";

    /// <summary>"Orchestrator 2022 (source: …)" for details and remediation.</summary>
    public string Cite => $"Orchestrator {Name} system requirements, {SourceNote}{(Confirmed ? string.Empty : ", unconfirmed")}, {RequirementTable.Source}";
}

/// <summary>.NET Framework 4.x releases by the minimum <c>Release</c> DWORD under NDP\v4\Full
/// (dotnet/docs how-to-determine-which-versions-are-installed.md; docs/facts/host-facts.md#dotnet-framework).</summary>
public sealed record DotNetFrameworkRelease(string Name, uint MinimumRelease)
{
    public static DotNetFrameworkRelease V45 { get; } = new("4.5", 378389);
    public static DotNetFrameworkRelease V451 { get; } = new("4.5.1", 378675);
    public static DotNetFrameworkRelease V452 { get; } = new("4.5.2", 379893);
    public static DotNetFrameworkRelease V46 { get; } = new("4.6", 393295);
    public static DotNetFrameworkRelease V461 { get; } = new("4.6.1", 394254);
    public static DotNetFrameworkRelease V462 { get; } = new("4.6.2", 394802);
    public static DotNetFrameworkRelease V47 { get; } = new("4.7", 460798);
    public static DotNetFrameworkRelease V471 { get; } = new("4.7.1", 461308);
    public static DotNetFrameworkRelease V472 { get; } = new("4.7.2", 461808);
    public static DotNetFrameworkRelease V48 { get; } = new("4.8", 528040);
    public static DotNetFrameworkRelease V481 { get; } = new("4.8.1", 533320);

    /// <summary>Newest first, so the first whose minimum the Release value reaches is the installed version.</summary>
    public static IReadOnlyList<DotNetFrameworkRelease> NewestFirst { get; } = [V481, V48, V472, V471, V47, V462, V461, V46, V452, V451, V45];

    /// <summary>The installed version a Release value means; null below 4.5.</summary>
    public static DotNetFrameworkRelease? FromRelease(uint release) => NewestFirst.FirstOrDefault(r => release >= r.MinimumRelease);
}

/// <summary>From update rollup <paramref name="SinceRollup"/> on, the Web API accepts the Hosting Bundle of these majors.</summary>
public sealed record HostingBundleRequirement(int SinceRollup, IReadOnlyList<int> Majors);

/// <summary>A SQL Server release an update rollup added; <paramref name="SinceRollup"/> null = a later update whose number no
/// primary source gives (the check then warns below the newest level instead of failing).</summary>
public sealed record SqlServerAddedByUpdate(SqlServerRelease Release, int? SinceRollup, string Source);
