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

    /// <summary>The status <see cref="FailEvery"/> answers with: 503 (default) or e.g. 500 Internal Server Error.</summary>
    public int FailStatus { get; init; } = 503;

    /// <summary>Feeds are answered 200 with their Atom XML cut off in the middle.</summary>
    public bool MalformedFeeds { get; init; }

    /// <summary>Feeds never end: every page is the first one, m:count claims a million entries, and a next link follows.</summary>
    public bool EndlessPaging { get; init; }

    /// <summary>Slow-loris: a feed's headers go out at once, then its body one byte per this delay; zero = off.</summary>
    public TimeSpan TrickleDelay { get; init; }
}
