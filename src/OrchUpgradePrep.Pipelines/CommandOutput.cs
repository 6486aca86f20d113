using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Pipelines;

/// <summary>
/// Where a pipeline host prints its command lines: free text masked; the secret registrations, which must carry
/// the raw value and come before anything else, and the commands that carry a data value orchprep produced
/// (an output variable, a file path), which must carry it as it is, are not.
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
    public void WriteLine(string line) => Write(_masker.Mask(line));

    /// <summary>Prints a command whose frame is orchprep's own text and whose value is data orchprep produced (a path it
    /// wrote, an output variable): not masked, or the pipeline would act on a name that does not exist. The agent and the
    /// runner read the command from the raw line and mask only what they show in the log.</summary>
    public void WriteDataCommand(string line) => Write(line);

    private void Write(string line)
    {
        lock (_gate)
        {
            _wroteOther = true;
            _stdout.Write(line);
            _stdout.Write('\n');
            _stdout.Flush();
        }
    }
}
