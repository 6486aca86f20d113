namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Orders runtime folder names as versions ("8.0.10" after "8.0.9"; "9.0.0-rc.1" before "9.0.0"), as the dotnet host lists them.</summary>
internal sealed class RuntimeVersionComparer : IComparer<string>
{
    public static RuntimeVersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var (xCore, xLabel) = Split(x);
        var (yCore, yLabel) = Split(y);
        if (xCore is null || yCore is null)
        {
            return string.CompareOrdinal(x, y);
        }

        var byCore = xCore.CompareTo(yCore);
        if (byCore != 0)
        {
            return byCore;
        }

        // A release sorts after its previews.
        if ((xLabel is null) != (yLabel is null))
        {
            return xLabel is null ? 1 : -1;
        }

        return string.CompareOrdinal(xLabel, yLabel);
    }

    private static (Version? Core, string? Label) Split(string version)
    {
        var dash = version.IndexOf('-', StringComparison.Ordinal);
        var core = dash < 0 ? version : version[..dash];
        var label = dash < 0 ? null : version[(dash + 1)..];
        return (Version.TryParse(core, out var parsed) ? parsed : null, label);
    }
}
