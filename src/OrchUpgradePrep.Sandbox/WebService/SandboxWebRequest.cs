namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>One request the sandbox web service received.</summary>
/// <param name="Sequence">Its number in arrival order (the fault counter), from 1.</param>
/// <param name="Method">The effective method: a POST tunnelling another verb in X-HTTP-Method (MERGE) is that verb.</param>
/// <param name="PathAndQuery">The request target as sent (still percent-encoded).</param>
/// <param name="StatusCode">The status code answered; 0 when the connection was reset without a response.</param>
public sealed record SandboxWebRequest(long Sequence, string Method, string PathAndQuery, int StatusCode)
{
    /// <summary>Anything but GET may change the world: tests prove check mode sent none.</summary>
    public bool IsWrite => !string.Equals(Method, "GET", StringComparison.Ordinal);
}
