using System.Globalization;
using System.Management;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Runs one WQL query against root\cimv2 on a worker thread, bounded by a per-item timeout and the caller's token.</summary>
[SupportedOSPlatform("windows")]
internal sealed class WmiQueryRunner
{
    private const string Namespace = @"root\cimv2";

    private readonly TimeSpan _timeout;

    public WmiQueryRunner(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
    }

    /// <summary>Selects <paramref name="properties"/> of every instance of <paramref name="className"/> and maps each one.
    /// WMI failures become <see cref="HostFactsException"/> naming the class; cancellation stays cancellation.</summary>
    public Task<IReadOnlyList<T>> QueryAsync<T>(
        string className,
        IReadOnlyList<string> properties,
        Func<ManagementBaseObject, T> map,
        CancellationToken cancellationToken,
        string? where = null)
    {
        // WaitAsync lets the caller leave at once on cancel; the worker notices the token at the next item
        // and otherwise ends within the WMI timeout.
        return Task.Run(() => Query(className, properties, map, where, cancellationToken), cancellationToken)
            .WaitAsync(cancellationToken);
    }

    private IReadOnlyList<T> Query<T>(
        string className,
        IReadOnlyList<string> properties,
        Func<ManagementBaseObject, T> map,
        string? where,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var query = new ObjectQuery($"SELECT {string.Join(", ", properties)} FROM {className}" + (where is null ? string.Empty : " WHERE " + where));

        // ReturnImmediately + forward-only: items stream in, and Timeout bounds the wait for each next item.
        var options = new System.Management.EnumerationOptions
        {
            Timeout = _timeout,
            ReturnImmediately = true,
            Rewindable = false,
        };

        try
        {
            using var searcher = new ManagementObjectSearcher(new ManagementScope(Namespace), query, options);
            using var collection = searcher.Get();
            using var items = collection.GetEnumerator();
            var results = new List<T>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!items.MoveNext())
                {
                    return results;
                }

                using var item = items.Current;
                results.Add(map(item));
            }
        }
        catch (ManagementException ex) when (ex.ErrorCode == ManagementStatus.Timedout)
        {
            throw new HostFactsException(string.Create(CultureInfo.InvariantCulture, $"WMI query on {className} timed out after {_timeout.TotalSeconds:0.#} s"), ex);
        }
        catch (ManagementException ex) when (ex.ErrorCode == ManagementStatus.AccessDenied)
        {
            throw new HostFactsException($"cannot query WMI {className}: access denied; run orchprep elevated", ex);
        }
        catch (ManagementException ex)
        {
            throw new HostFactsException($"cannot query WMI {className}: {ex.ErrorCode}: {ex.Message.Trim()}", ex);
        }
        catch (COMException ex)
        {
            throw new HostFactsException($"cannot query WMI {className}: {ex.Message.Trim()} (0x{ex.HResult:X8})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HostFactsException($"cannot query WMI {className}: access denied; run orchprep elevated", ex);
        }
    }
}
