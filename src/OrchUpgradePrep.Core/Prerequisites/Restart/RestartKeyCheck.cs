using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>A signal that is a key's existence: pending when any of <see cref="KeyPaths"/> exists
/// (and <see cref="IsPending"/> agrees). Keys, not values: reading these as values is the bug that never fires (docs/facts/restart-signals.md#known-bugs).</summary>
public abstract class RestartKeyCheck : RestartCheck
{
    protected RestartKeyCheck(string id, string title, bool blocking, string meaning, params string[] keyPaths)
        : base(id, title, blocking)
    {
        Meaning = meaning;
        KeyPaths = keyPaths;
    }

    public IReadOnlyList<string> KeyPaths { get; }

    /// <summary>What the key says when it is there, for the detail.</summary>
    protected string Meaning { get; }

    /// <summary>Whether a present key counts; by default its existence is the signal.</summary>
    protected virtual bool IsPending(RegistryKeyRead key) => true;

    protected virtual Evidence Describe(RegistryKeyRead key) => KeyEvidence(key);

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var keys = await ReadKeysAsync(context, KeyPaths, cancellationToken).ConfigureAwait(false);
        var evidence = keys.Select(Describe).ToList();
        var pending = keys.Where(k => k.Presence == RegistryKeyPresence.Present && IsPending(k)).ToList();
        if (pending.Count > 0)
        {
            return Pending($"{Meaning}: {string.Join(", ", pending.Select(k => k.Location()))}.", evidence);
        }

        if (keys.FirstOrDefault(k => k.Presence == RegistryKeyPresence.Unknown) is { } unknown)
        {
            return NotExported(unknown, evidence);
        }

        return CheckOutcome.Met($"Not pending: {string.Join("; ", evidence.Select(e => $"{e.Source} {e.Value}"))}.", [.. evidence]);
    }
}
