using System.Net.Http.Headers;

namespace OrchUpgradePrep.Http;

/// <summary>The User-Agent orchprep's web-service client sends (<c>orchprep/1.4.0</c>), so a web host's IIS log tells
/// orchprep's own requests (the drain's) from everyone else's.</summary>
public static class OrchprepUserAgent
{
    public const string Product = "orchprep";

    public static ProductInfoHeaderValue For(string version) =>
        new(Product, string.IsNullOrWhiteSpace(version) ? "0.0.0" : version);

    /// <summary>Whether a logged user agent is orchprep's: it starts with <c>orchprep/</c> (IIS logs spaces as <c>+</c>,
    /// which does not touch the product token).</summary>
    public static bool Is(string? userAgent) =>
        userAgent is not null && userAgent.StartsWith(Product + "/", StringComparison.OrdinalIgnoreCase);
}
