using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>How one value reads: not pending, pending, pending but known-benign (warning), or of a type the rule cannot read.</summary>
public enum RestartReading
{
    NotPending,
    Benign,
    Pending,
    WrongType,
}

/// <summary>What <see cref="RestartValueCheck.Read"/> says about one value, with the entries it found, for evidence.</summary>
public sealed record ValueReading(RestartReading Kind, string Note, IReadOnlyList<Evidence> Entries)
{
    public static ValueReading Of(RestartReading kind, string note) => new(kind, note, []);
}

/// <summary>A signal that is one value, under one or more keys (64-bit and WOW6432Node views): key or value
/// absent = not pending; the worst reading of any view decides; a value of the wrong type is an error.</summary>
public abstract class RestartValueCheck : RestartCheck
{
    protected RestartValueCheck(string id, string title, bool blocking, string valueName, params string[] keyPaths)
        : base(id, title, blocking)
    {
        ValueName = valueName;
        KeyPaths = keyPaths;
    }

    public string ValueName { get; }

    public IReadOnlyList<string> KeyPaths { get; }

    /// <summary>What the value means when it fires, for the detail.</summary>
    protected abstract string Meaning { get; }

    /// <summary>The registry type(s) the rule reads, for the wrong-type error.</summary>
    protected abstract string ExpectedType { get; }

    protected abstract ValueReading Read(RegistryValue value);

    /// <summary>A second look with the host's other facts (pending file renames: does each source still exist?).</summary>
    protected virtual Task<ValueReading> RefineAsync(RegistryValue value, ValueReading reading, CheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(reading);

    /// <summary>The rule of the DWORD flags: pending when not 0; any other type is the wrong type.</summary>
    protected static ValueReading NonZeroDword(RegistryValue value) => value switch
    {
        { Type: RegistryValueType.DWord, Data: uint n } => ValueReading.Of(n != 0 ? RestartReading.Pending : RestartReading.NotPending, $"{value.Name} = {n}"),
        _ => ValueReading.Of(RestartReading.WrongType, string.Empty),
    };

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var keys = await ReadKeysAsync(context, KeyPaths, cancellationToken).ConfigureAwait(false);
        var evidence = new List<Evidence>();
        var readings = new List<ValueReading>();
        foreach (var key in keys)
        {
            if (key.Presence != RegistryKeyPresence.Present)
            {
                evidence.Add(KeyEvidence(key));
                continue;
            }

            if (key.Value(ValueName) is not { } value)
            {
                evidence.Add(new Evidence(key.Location(ValueName), "value absent"));
                continue;
            }

            var reading = Read(value);
            if (reading.Kind == RestartReading.WrongType)
            {
                return WrongType(key, value, ExpectedType);
            }

            reading = await RefineAsync(value, reading, context, cancellationToken).ConfigureAwait(false);

            evidence.Add(new Evidence(key.Location(ValueName), value.Describe()));
            evidence.AddRange(reading.Entries);
            readings.Add(reading);
        }

        var notes = string.Join("; ", readings.Where(r => r.Kind != RestartReading.NotPending).Select(r => r.Note));
        if (readings.Any(r => r.Kind == RestartReading.Pending))
        {
            return Pending($"{Meaning} ({notes}).", evidence);
        }

        if (readings.Any(r => r.Kind == RestartReading.Benign))
        {
            return Warning($"{Meaning}, but only known-benign or stale entries ({notes}).", evidence);
        }

        if (keys.FirstOrDefault(k => k.Presence == RegistryKeyPresence.Unknown) is { } unknown)
        {
            return NotExported(unknown, evidence);
        }

        return CheckOutcome.Met($"Not pending: {string.Join("; ", evidence.Select(e => $"{e.Source} {e.Value}"))}.", [.. evidence]);
    }
}
