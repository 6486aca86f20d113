using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// The Windows password complexity policy SQL Server applies to the passwords of BACKUP [SERVICE] MASTER KEY:
/// at least 8 characters, characters from three of upper case, lower case, digits and symbols, and not the
/// account name (docs/sql-permissions.md, "Password policy"). Letters without case count in no class: stricter
/// than a server that counts them, never more lenient.
/// </summary>
internal static class SandboxPasswordPolicy
{
    internal const int MinimumLength = 8;

    /// <summary>Msg 15118, severity 16, as SQL Server 2022's sys.messages words it.</summary>
    internal static SqlErrorException NotComplexEnough() => new(15118, 16, 1,
        "Password validation failed. The password does not meet the operating system policy requirements because it is not complex enough.");

    /// <summary>Whether <paramref name="password"/> meets the policy for the login <paramref name="account"/> (DOMAIN\name or name).</summary>
    internal static bool IsComplexEnough(string password, string account)
    {
        if (password.Length < MinimumLength)
        {
            return false;
        }

        // Windows checks the account name as a whole, case-insensitively, and skips names shorter than 3 characters.
        var name = account[(account.LastIndexOf('\\') + 1)..];
        if (name.Length >= 3 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var upper = password.Any(char.IsUpper);
        var lower = password.Any(char.IsLower);
        var digit = password.Any(char.IsAsciiDigit);
        var symbol = password.Any(c => !char.IsLetterOrDigit(c));
        return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0) >= 3;
    }
}
