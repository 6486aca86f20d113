namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>A Windows Server release as its build number identifies it (ProductName lies on newer Windows:
/// docs/facts/host-facts.md#windows). <see cref="Confirmed"/> is false where the build number is unconfirmed.</summary>
public sealed record WindowsServerRelease(string Name, int Build, bool Confirmed = true)
{
    public static WindowsServerRelease Server2008R2 { get; } = new("Windows Server 2008 R2", 7601);
    public static WindowsServerRelease Server2012 { get; } = new("Windows Server 2012", 9200);
    public static WindowsServerRelease Server2012R2 { get; } = new("Windows Server 2012 R2", 9600);
    public static WindowsServerRelease Server2016 { get; } = new("Windows Server 2016", 14393);
    public static WindowsServerRelease Server2019 { get; } = new("Windows Server 2019", 17763);
    public static WindowsServerRelease Server2022 { get; } = new("Windows Server 2022", 20348);
    public static WindowsServerRelease Server2025 { get; } = new("Windows Server 2025", 26100, Confirmed: false);

    public static IReadOnlyList<WindowsServerRelease> Known { get; } =
        [Server2008R2, Server2012, Server2012R2, Server2016, Server2019, Server2022, Server2025];

    public static WindowsServerRelease? ForBuild(int build) => Known.FirstOrDefault(r => r.Build == build);

    public override string ToString() => $"{Name} (build {Build})";
}
