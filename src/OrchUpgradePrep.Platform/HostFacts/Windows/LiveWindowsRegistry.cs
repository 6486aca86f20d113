using System.Runtime.Versioning;
using System.Security;
using Microsoft.Win32;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Reads HKLM of this machine through the 64-bit registry view, so a 32-bit process sees what an installer wrote.</summary>
[SupportedOSPlatform("windows")]
internal sealed class LiveWindowsRegistry : IRegistry
{
    public const string SourceName = "live registry";

    public ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        cancellationToken.ThrowIfCancellationRequested();

        // Registry reads are local and fast; no thread hop is worth it.
        return ValueTask.FromResult(ReadKey(RegistryPaths.RelativeToLocalMachine(keyPath)));
    }

    private static RegistryKeyRead ReadKey(string path)
    {
        try
        {
            using var hklm = RegistryKey.OpenBaseKey(RegistryHive.LocalMachine, RegistryView.Registry64);
            using var key = hklm.OpenSubKey(path, writable: false);
            if (key is null)
            {
                return new RegistryKeyRead { Path = path, Presence = RegistryKeyPresence.Absent, Source = SourceName };
            }

            var values = new Dictionary<string, RegistryValue>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in key.GetValueNames())
            {
                values[name] = ReadValue(key, name);
            }

            return new RegistryKeyRead
            {
                Path = path,
                Presence = RegistryKeyPresence.Present,
                Values = values,
                SubKeyNames = key.GetSubKeyNames(),
                Source = SourceName,
            };
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or SecurityException)
        {
            throw new HostFactsException($@"cannot read HKLM\{path}: access denied; run orchprep elevated", ex);
        }
        catch (IOException ex)
        {
            throw new HostFactsException($@"cannot read HKLM\{path}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // OpenSubKey rejects over-long names; that is a bad path, not a missing key.
            throw new HostFactsException($@"cannot read HKLM\{path}: {ex.Message}", ex);
        }
    }

    private static RegistryValue ReadValue(RegistryKey key, string name)
    {
        var kind = key.GetValueKind(name);

        // Keep REG_EXPAND_SZ as written: checks compare what is stored, not this process's environment.
        var data = key.GetValue(name, null, RegistryValueOptions.DoNotExpandEnvironmentNames);
        return (kind, data) switch
        {
            (RegistryValueKind.String, string s) => new RegistryValue(name, RegistryValueType.String, s),
            (RegistryValueKind.ExpandString, string s) => new RegistryValue(name, RegistryValueType.ExpandString, s),
            (RegistryValueKind.MultiString, string[] a) => new RegistryValue(name, RegistryValueType.MultiString, a),
            (RegistryValueKind.DWord, int i) => new RegistryValue(name, RegistryValueType.DWord, unchecked((uint)i)),
            (RegistryValueKind.QWord, long l) => new RegistryValue(name, RegistryValueType.QWord, unchecked((ulong)l)),
            (RegistryValueKind.Binary, byte[] b) => new RegistryValue(name, RegistryValueType.Binary, b),
            (RegistryValueKind.None, byte[] b) => new RegistryValue(name, RegistryValueType.None, b),
            (RegistryValueKind.None, null) => new RegistryValue(name, RegistryValueType.None, Array.Empty<byte>()),

            // REG_DWORD_BIG_ENDIAN comes back as bytes; REG_RESOURCE_LIST and friends come back as null.
            (_, byte[] b) => new RegistryValue(name, RegistryValueType.Other, b),
            _ => new RegistryValue(name, RegistryValueType.Other, Array.Empty<byte>()),
        };
    }

}
