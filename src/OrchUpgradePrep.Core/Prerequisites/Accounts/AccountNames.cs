namespace OrchUpgradePrep.Prerequisites.Accounts;

/// <summary>Compares Windows account names as Windows writes them: <c>DOMAIN\user</c>, <c>.\user</c> (this host),
/// <c>user@domain.fqdn</c>; case-insensitive.</summary>
internal static class AccountNames
{
    /// <summary>Same account: equal names, or the same user where one side names no domain, or <c>.\</c> / the host's name.</summary>
    public static bool Same(string a, string b, string hostName)
    {
        var (domainA, userA) = Split(a, hostName);
        var (domainB, userB) = Split(b, hostName);
        return string.Equals(userA, userB, StringComparison.OrdinalIgnoreCase)
            && (domainA is null || domainB is null || string.Equals(domainA, domainB, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Built-in identities that have no password to expire or lock: LocalSystem, NT AUTHORITY\…, NT SERVICE\….</summary>
    public static bool IsBuiltIn(string account) =>
        string.Equals(account, "LocalSystem", StringComparison.OrdinalIgnoreCase)
        || account.StartsWith(@"NT AUTHORITY\", StringComparison.OrdinalIgnoreCase)
        || account.StartsWith(@"NT SERVICE\", StringComparison.OrdinalIgnoreCase);

    /// <summary>"gMSA" (name ends with $), "built-in", "local account" or "domain account".</summary>
    public static string KindOf(string account, string hostName)
    {
        if (IsBuiltIn(account))
        {
            return "built-in";
        }

        if (account.EndsWith('$'))
        {
            return "gMSA";
        }

        var (domain, _) = Split(account, hostName);
        return domain is null || string.Equals(domain, HostLabel(hostName), StringComparison.OrdinalIgnoreCase) ? "local account" : "domain account";
    }

    /// <summary>The NetBIOS-style domain (upper-case first label for user@fqdn; the host's label for .\) and the user.</summary>
    private static (string? Domain, string User) Split(string account, string hostName)
    {
        var trimmed = account.Trim();
        var slash = trimmed.IndexOf('\\', StringComparison.Ordinal);
        if (slash > 0)
        {
            var domain = trimmed[..slash];
            return (domain == "." ? HostLabel(hostName) : domain, trimmed[(slash + 1)..]);
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? (trimmed[(at + 1)..].Split('.')[0], trimmed[..at]) : (null, trimmed);
    }

    private static string HostLabel(string hostName) => hostName.Split('.')[0];
}
