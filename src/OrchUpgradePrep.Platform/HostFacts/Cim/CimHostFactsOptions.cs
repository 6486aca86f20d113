namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>How orchprep reaches a remote host over WinRM. The defaults are WinRM's: HTTP on 5985, Kerberos/Negotiate
/// as the account running orchprep (WinRM encrypts the HTTP payload itself).</summary>
public sealed record CimHostFactsOptions
{
    public const int DefaultTimeoutSeconds = 30;

    /// <summary>How long one CIM call may take before the fact becomes an error.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    /// <summary>WinRM over HTTPS (needs an HTTPS listener with a certificate the runner trusts).</summary>
    public bool UseSsl { get; init; }

    /// <summary>WinRM port; null = 5985, or 5986 with <see cref="UseSsl"/>.</summary>
    public int? Port { get; init; }

    /// <summary>Ask each process for its owner (Win32_Process.GetOwner, one call per process).</summary>
    public bool ResolveProcessOwners { get; init; } = true;

    internal int EffectivePort => Port ?? (UseSsl ? 5986 : 5985);

    internal string Endpoint(string host) => $"{(UseSsl ? "https" : "http")}://{host}:{EffectivePort}/wsman";
}
