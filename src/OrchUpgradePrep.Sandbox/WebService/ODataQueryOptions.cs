using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>The system query options a feed request carries: $filter (parsed per entity set), $skip, $top and
/// $inlinecount. Options the sandbox does not simulate ($orderby, $expand, …) are refused, not ignored, so a client
/// that relies on one finds out here rather than against a real server.</summary>
internal sealed record ODataQueryOptions(string? Filter, int Skip, int Top, bool InlineCount)
{
    /// <summary>The real service's page size: a larger (or no) $top still gets at most this many entries.</summary>
    public const int PageSize = 50;

    public static bool TryParse(IQueryCollection query, out ODataQueryOptions options, out string error)
    {
        options = new ODataQueryOptions(null, 0, PageSize, false);
        error = "";
        string? filter = null;
        var skip = 0;
        var top = PageSize;
        var inlineCount = false;
        foreach (var (name, values) in query)
        {
            if (!name.StartsWith('$'))
            {
                // Not a system query option: a WCF Data Service ignores it too.
                continue;
            }

            if (values.Count != 1)
            {
                error = $"Query option '{name}' was specified more than once, but it must be specified at most once.";
                return false;
            }

            var value = values[0] ?? "";
            switch (name)
            {
                case "$filter":
                    filter = value;
                    break;
                case "$skip" when TryCount(value, out var n):
                    skip = n;
                    break;
                case "$top" when TryCount(value, out var n):
                    top = Math.Min(n, PageSize);
                    break;
                case "$skip" or "$top":
                    error = $"Incorrect format for {name} argument '{value}'.";
                    return false;
                case "$inlinecount" when value is "allpages" or "none":
                    inlineCount = value == "allpages";
                    break;
                case "$inlinecount":
                    error = "Invalid value for $inlinecount option; only 'allpages' and 'none' are supported.";
                    return false;
                default:
                    error = $"The query parameter '{name}' is not supported by the sandbox web service.";
                    return false;
            }
        }

        options = new ODataQueryOptions(filter, skip, top, inlineCount);
        return true;
    }

    public IReadOnlyList<T> Page<T>(IReadOnlyList<T> items) => [.. items.Skip(Skip).Take(Top)];

    private static bool TryCount(string value, out int count) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count);
}
