using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Pipelines;

/// <summary>
/// Where a pipeline host prints its command lines: every line masked, except the secret registrations,
/// which must carry the raw value and must come before anything else.
/// </summary>
internal sealed class CommandOutput
{
    private readonly TextWriter _stdout;
    private readonly SecretMasker _masker;
    private readonly Lock _gate = new();
    private bool _wroteOther;

    public CommandOutput(TextWriter stdout, SecretMasker masker)
    {
        _stdout = stdout;
        _masker = masker;
    }

    public SecretMasker Masker => _masker;

    /// <summary>Registers each secret with the masker and prints its registration line(s) unmasked.</summary>
    public void Register(IEnumerable<string> secrets, Func<string, IEnumerable<string>> registrationLines)
    {
        lock (_gate)
        {
            var list = secrets.Where(s => !string.IsNullOrEmpty(s)).ToList();
            if (list.Count > 0 && _wroteOther)
            {
                // A secret registered late was already printed unmasked by the pipeline: fail loudly in tests.
                throw new InvalidOperationException("Secrets must be registered before any other pipeline output.");
            }

            foreach (var secret in list)
            {
                _masker.Add(secret);
                // The pipelines mask per line, so a multi-line secret is registered line by line.
                foreach (var line in SecretMasker.SplitLines(secret))
                {
                    foreach (var command in registrationLines(line))
                    {
                        _stdout.Write(command);
                        _stdout.Write('\n');
                    }
                }
            }

            _stdout.Flush();
        }
    }

    /// <summary>Prints one command line, masked.</summary>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            _wroteOther = true;
            _stdout.Write(_masker.Mask(line));
            _stdout.Write('\n');
            _stdout.Flush();
        }
    }
}
