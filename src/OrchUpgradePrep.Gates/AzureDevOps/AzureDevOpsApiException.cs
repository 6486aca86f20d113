namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>A call to Azure DevOps that failed for good: its message names the call and the HTTP status, never the token.</summary>
public sealed class AzureDevOpsApiException : Exception
{
    public AzureDevOpsApiException(string message, int? status = null, Exception? inner = null)
        : base(message, inner) => Status = status;

    public AzureDevOpsApiException()
    {
    }

    public AzureDevOpsApiException(string message)
        : base(message)
    {
    }

    public AzureDevOpsApiException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status of the last answer; null when there was none (no connection, timeout).</summary>
    public int? Status { get; }
}
