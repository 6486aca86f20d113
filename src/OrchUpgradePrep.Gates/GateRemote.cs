using Microsoft.AspNetCore.Http;

namespace OrchUpgradePrep.Gates;

/// <summary>
/// Who sent a request, for refusal log lines: the socket's remote address only. X-Forwarded-For is not logged: any
/// caller can write it, so it would let a forger put someone else's address (or a fake log line) in the log. Behind a
/// reverse proxy this is the proxy's address; the proxy's own access log has the client's.
/// </summary>
public static class GateRemote
{
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "an unknown address";
        }

        // "::ffff:10.0.0.5" on a dual-stack socket reads as 10.0.0.5.
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
