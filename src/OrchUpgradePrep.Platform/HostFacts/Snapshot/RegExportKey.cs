using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>One <c>[key]</c> section of a <c>reg export</c> file: the full path as written
/// (<c>HKEY_LOCAL_MACHINE\SOFTWARE\…</c>) and its values in file order.</summary>
public sealed record RegExportKey(string Path, IReadOnlyList<RegistryValue> Values);

/// <summary>A parsed <c>reg export</c> file. The first key is the exported root: every key below it that
/// the file does not list did not exist when the export ran.</summary>
public sealed record RegExportFile(string FileName, IReadOnlyList<RegExportKey> Keys);
