namespace OrchUpgradePrep.Model;

/// <summary>A side effect prepare/resume performed or declined (kind: runbook-stop, block-starts, backup, verify, save-keys).</summary>
public sealed record ActionRecord(string Kind, string Target, string Outcome, string Detail);
