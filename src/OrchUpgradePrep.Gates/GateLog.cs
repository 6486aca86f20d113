using System.Globalization;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Gates;

/// <summary>
/// The service's log: one line per event, time-stamped, every line through the secret masker (tokens and keys that
/// reach the service are added to it as they arrive). Thread-safe: webhooks are handled concurrently.
/// </summary>
public sealed class GateLog
{
    private readonly TextWriter _writer;
    private readonly SecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public GateLog(TextWriter writer, SecretMasker masker, TimeProvider time)
    {
        _writer = writer;
        _masker = masker;
        _time = time;
    }

    public SecretMasker Masker => _masker;

    public void Write(string message)
    {
        var line = $"{_time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {_masker.Mask(message)}";
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}
