namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// The SET options one connection has changed (upper-case option → value as SQL Server would report it), kept by the
/// connection so they last across batches and are cleared by a reset (sp_reset_connection restores the login's defaults).
/// </summary>
public sealed class TdsSessionOptions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The value a SET gave this option, or null while it has its login default.</summary>
    public string? this[string option]
    {
        get
        {
            lock (_gate)
            {
                return _values.GetValueOrDefault(option);
            }
        }
    }

    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
        }
    }

    public void Set(string option, string value)
    {
        lock (_gate)
        {
            _values[option] = value;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _values.Clear();
        }
    }
}
