namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>What a failed CIM call means for the person running orchprep; each kind has its own advice.</summary>
internal enum CimFailureKind
{
    Other,
    HostNotFound,
    NotListening,
    AccessDenied,
    Authentication,
    Timeout,

    /// <summary>The namespace does not exist on the host (no ConfigMgr client for <c>root\ccm</c>): "not applicable" for a check that asks.</summary>
    InvalidNamespace,
    InvalidClass,
    NotFound,
}
