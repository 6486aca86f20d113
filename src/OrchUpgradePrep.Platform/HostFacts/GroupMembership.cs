using System.Text.RegularExpressions;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>Win32_GroupUser rows as group members, and the WQL that selects one local group's rows
/// (https://learn.microsoft.com/windows/win32/cimwin32prov/win32-groupuser).</summary>
internal static partial class GroupMembership
{
    /// <summary>WHERE clause of one local group on <paramref name="host"/>; quotes in names are refused, not escaped.</summary>
    public static string WhereGroup(string host, string group)
    {
        if (host.Contains('\'') || group.Contains('\'') || host.Contains('"') || group.Contains('"'))
        {
            throw new HostFactsException($"{host}: the group name '{group}' cannot be put in a WQL query");
        }

        return $"GroupComponent=\"Win32_Group.Domain='{host}',Name='{group}'\"";
    }

    /// <summary>A PartComponent reference (…:Win32_UserAccount.Domain="CONTOSO",Name="jdoe") as a member; null when it is not one.</summary>
    public static GroupMember? FromPartComponent(string? reference)
    {
        var match = reference is null ? null : Reference().Match(reference);
        if (match is not { Success: true })
        {
            return null;
        }

        var kind = match.Groups["class"].Value.EndsWith("Group", StringComparison.OrdinalIgnoreCase) ? "Group" : "User";
        return new GroupMember($@"{match.Groups["domain"].Value}\{match.Groups["name"].Value}", kind);
    }

    [GeneratedRegex(@"(?<class>Win32_\w+)\.Domain=[""'](?<domain>[^""']*)[""'],Name=[""'](?<name>[^""']*)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
