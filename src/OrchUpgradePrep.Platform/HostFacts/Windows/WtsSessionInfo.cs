using System.Runtime.InteropServices;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>WTS_SESSION_INFOW as WTSEnumerateSessionsW lays it out (blittable: the station name stays a pointer).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WtsSessionInfo
{
    public readonly int SessionId;
    public readonly IntPtr WinStationName;
    public readonly WtsConnectState State;
}
