namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>
/// One entry of PendingFileRenameOperations: a source (<c>\??\C:\...</c>) and a destination (empty = delete,
/// <c>!</c> prefix = replace an existing file). <see cref="BenignReason"/> names the known-noise pattern it matches,
/// or is null: AV and Defender cleanups, browser updaters, <c>Amcache.hve.tmp</c>, temp-folder deletes (docs/facts/restart-signals.md#file-rename).
/// </summary>
public sealed record PendingFileRename(int Number, string Source, string Destination)
{
    private static readonly (string Fragment, string Reason)[] BenignAnywhere =
    [
        (@"\Windows Defender\", "Microsoft Defender update"),
        (@"\Windows Defender Advanced Threat Protection\", "Microsoft Defender update"),
        (@"\McAfee\", "antivirus cleanup"),
        (@"\Symantec\", "antivirus cleanup"),
        (@"\Trend Micro\", "antivirus cleanup"),
        (@"\Sophos\", "antivirus cleanup"),
        (@"\Kaspersky Lab\", "antivirus cleanup"),
        (@"\ESET\", "antivirus cleanup"),
        (@"\Google\Update\", "browser updater"),
        (@"\Microsoft\EdgeUpdate\", "browser updater"),
        (@"\Mozilla Maintenance Service\", "browser updater"),
    ];

    private static readonly string[] TempFolders = [@"\Windows\Temp\", @"\AppData\Local\Temp\", @"\Temp\"];

    public bool IsDelete => Destination.Length == 0;

    /// <summary>The source as a local path (<c>\??\C:\Temp\a.tmp</c> gives <c>C:\Temp\a.tmp</c>) when it is one; null for
    /// device or UNC forms, whose existence orchprep does not judge.</summary>
    public string? LocalSource
    {
        get
        {
            var path = Source.StartsWith(@"\??\", StringComparison.Ordinal) ? Source[4..] : Source;
            return path.Length > 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] == '\\' ? path : null;
        }
    }

    public string? BenignReason
    {
        get
        {
            if (Source.EndsWith("Amcache.hve.tmp", StringComparison.OrdinalIgnoreCase))
            {
                return "Amcache.hve.tmp (application compatibility cache)";
            }

            if (IsDelete && TempFolders.Any(t => Source.Contains(t, StringComparison.OrdinalIgnoreCase)))
            {
                return "temp-folder delete";
            }

            return BenignAnywhere.FirstOrDefault(b => Source.Contains(b.Fragment, StringComparison.OrdinalIgnoreCase) || Destination.Contains(b.Fragment, StringComparison.OrdinalIgnoreCase)).Reason;
        }
    }

    public string Describe()
    {
        var action = IsDelete
            ? $"delete {Source}"
            : Destination.StartsWith('!') ? $"replace {Destination[1..]} with {Source}" : $"rename {Source} to {Destination}";
        return BenignReason is { } reason ? $"{action} (known-benign: {reason})" : $"{action} (not known-benign)";
    }

    /// <summary>Pairs the REG_MULTI_SZ strings source/destination in order; pairs with a blank source are ignored
    /// (padding some writers leave), a lone last source is a delete.</summary>
    public static IReadOnlyList<PendingFileRename> Parse(IReadOnlyList<string> strings)
    {
        var entries = new List<PendingFileRename>();
        for (var i = 0; i < strings.Count; i += 2)
        {
            var source = strings[i].Trim();
            if (source.Length == 0)
            {
                continue;
            }

            var destination = i + 1 < strings.Count ? strings[i + 1].Trim() : string.Empty;
            entries.Add(new PendingFileRename(entries.Count + 1, source, destination));
        }

        return entries;
    }
}
