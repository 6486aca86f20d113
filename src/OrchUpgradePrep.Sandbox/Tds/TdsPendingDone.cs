namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>A statement's DONE held back until it is known whether more tokens follow.</summary>
internal readonly record struct TdsPendingDone(ushort Status, ushort Command, long Count);
