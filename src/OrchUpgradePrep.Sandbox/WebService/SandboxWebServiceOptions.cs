namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>How the sandbox's Orchestrator web service listens (127.0.0.1 only), whom it lets in and which faults it injects.</summary>
public sealed record SandboxWebServiceOptions
{
    public const string DefaultUser = "orchprep";
    public const string DefaultPassword = "sandbox";

    /// <summary>0 = a free port.</summary>
    public int Port { get; init; }

    public string User { get; init; } = DefaultUser;
    public string Password { get; init; } = DefaultPassword;

    public SandboxWebServiceFaults Faults { get; init; } = new();
}

/// <summary>
/// Faults counted by request number (1, 2, 3, … in arrival order), so a test that sends its requests one after another
/// sees the same faults every run. A request both rules hit is reset.
/// </summary>
public sealed record SandboxWebServiceFaults
{
    /// <summary>Every n-th request answers 503 Service Unavailable (an app pool recycling); 0 = never.</summary>
    public int FailEvery { get; init; }

    /// <summary>Every n-th request loses its connection without a response; 0 = never.</summary>
    public int ResetEvery { get; init; }

    /// <summary>Delay before each request is answered, on the service's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Latency { get; init; }
}
