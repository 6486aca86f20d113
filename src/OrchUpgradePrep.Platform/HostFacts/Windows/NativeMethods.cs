using System.Runtime.InteropServices;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Remote Desktop Services API (wtsapi32) calls used to list logon sessions; only called on Windows.</summary>
internal static class NativeMethods
{
    /// <summary>WTS_CURRENT_SERVER_HANDLE: this machine.</summary>
    public const nint WtsCurrentServer = 0;

    /// <summary>WTS_INFO_CLASS.WTSUserName.</summary>
    public const int WtsUserName = 5;

    /// <summary>WTS_INFO_CLASS.WTSClientName.</summary>
    public const int WtsClientName = 10;

    private const string WtsApi = "wtsapi32.dll";

    [DllImport(WtsApi, EntryPoint = "WTSEnumerateSessionsW", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static extern bool WTSEnumerateSessions(
        IntPtr server, int reserved, int version, out IntPtr sessionInfo, out int count);

    [DllImport(WtsApi, EntryPoint = "WTSQuerySessionInformationW", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static extern bool WTSQuerySessionInformation(
        IntPtr server, int sessionId, int infoClass, out IntPtr buffer, out int bytesReturned);

    [DllImport(WtsApi, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    public static extern void WTSFreeMemory(IntPtr memory);
}
