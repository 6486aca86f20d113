using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Lists this machine's logon sessions through WTS, which (unlike WMI) also reports disconnected RDP users.</summary>
[SupportedOSPlatform("windows")]
internal sealed class WtsSessionReader
{
    public IReadOnlyList<SessionInfo> ReadSessions(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!NativeMethods.WTSEnumerateSessions(NativeMethods.WtsCurrentServer, 0, 1, out var buffer, out var count))
        {
            var error = Marshal.GetLastPInvokeError();
            throw new HostFactsException($"cannot list logon sessions (WTSEnumerateSessions): {new Win32Exception(error).Message} ({error})");
        }

        try
        {
            var stride = Marshal.SizeOf<WtsSessionInfo>();
            var sessions = new List<SessionInfo>(count);
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var raw = Marshal.PtrToStructure<WtsSessionInfo>(buffer + (i * stride));
                sessions.Add(new SessionInfo(
                    raw.SessionId,
                    QueryString(raw.SessionId, NativeMethods.WtsUserName),
                    StateName(raw.State),
                    QueryString(raw.SessionId, NativeMethods.WtsClientName)));
            }

            return sessions;
        }
        finally
        {
            if (buffer != IntPtr.Zero)
            {
                NativeMethods.WTSFreeMemory(buffer);
            }
        }
    }

    private static string StateName(WtsConnectState state) =>
        Enum.IsDefined(state) ? state.ToString() : $"Unknown({(int)state})";

    /// <summary>Null when the value is empty or the session ended since it was listed.</summary>
    private static string? QueryString(int sessionId, int infoClass)
    {
        if (!NativeMethods.WTSQuerySessionInformation(NativeMethods.WtsCurrentServer, sessionId, infoClass, out var buffer, out _))
        {
            return null;
        }

        try
        {
            var value = Marshal.PtrToStringUni(buffer);
            return string.IsNullOrEmpty(value) ? null : value;
        }
        finally
        {
            NativeMethods.WTSFreeMemory(buffer);
        }
    }
}
