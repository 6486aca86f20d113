using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #9: the computer was renamed and not restarted: <c>ActiveComputerName\ComputerName</c> (the running
/// name) differs from <c>ComputerName\ComputerName</c> (the name after the next boot). Both must be present to compare.</summary>
public sealed class ComputerRenameCheck() : RestartCheck("restart.computer-rename", "No computer rename waits for a restart", blocking: true)
{
    private const string ValueName = "ComputerName";

    protected override string HowToSee => "the System event log (event 6011, and USER32 1074 for who asked), or `Rename-Computer` history in your change records.";

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var keys = await ReadKeysAsync(context, [RestartKeys.ActiveComputerName, RestartKeys.ComputerName], cancellationToken).ConfigureAwait(false);
        var evidence = new List<Evidence>();
        var names = new List<string>();
        foreach (var key in keys)
        {
            if (key.Presence == RegistryKeyPresence.Unknown)
            {
                return NotExported(key, [.. evidence, KeyEvidence(key)]);
            }

            if (key.Presence == RegistryKeyPresence.Absent)
            {
                evidence.Add(KeyEvidence(key));
                continue;
            }

            switch (key.Value(ValueName))
            {
                case null:
                    evidence.Add(new Evidence(key.Location(ValueName), "value absent"));
                    break;
                case { Type: RegistryValueType.String, Data: string name } value:
                    evidence.Add(new Evidence(key.Location(ValueName), value.Describe()));
                    names.Add(name.Trim());
                    break;
                case var value:
                    return WrongType(key, value, "REG_SZ");
            }
        }

        if (names.Count < 2)
        {
            return CheckOutcome.Met("Not pending: the active and the next-boot computer name are not both present, so there is no rename to compare.", [.. evidence]);
        }

        // NetBIOS names are case-insensitive: a change of case alone is no rename.
        return string.Equals(names[0], names[1], StringComparison.OrdinalIgnoreCase)
            ? CheckOutcome.Met($"Not pending: the computer is named {names[0]} now and after the next boot.", [.. evidence])
            : Pending($"The computer was renamed from {names[0]} to {names[1]} and waits for a restart.", evidence);
    }
}
