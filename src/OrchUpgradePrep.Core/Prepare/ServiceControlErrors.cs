namespace OrchUpgradePrep.Prepare;

/// <summary>The message of a failed service stop or start, with its cause.</summary>
public static class ServiceControlErrors
{
    /// <summary>
    /// ServiceController puts the reason in an inner Win32Exception: the outer message alone ("Cannot open orunbook
    /// service on computer 'orch-rb02'.") hides "Access is denied.", which is what the admin has to fix.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message.Trim();
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            var cause = inner.Message.Trim();
            if (cause.Length > 0 && !message.Contains(cause, StringComparison.Ordinal))
            {
                message = $"{message} {cause}";
            }
        }

        return message;
    }
}
