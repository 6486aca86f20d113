namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>WTS_CONNECTSTATE_CLASS; member names are the state names reported in <c>SessionInfo.State</c>.</summary>
internal enum WtsConnectState
{
    Active = 0,
    Connected = 1,
    ConnectQuery = 2,
    Shadow = 3,
    Disconnected = 4,
    Idle = 5,
    Listen = 6,
    Reset = 7,
    Down = 8,
    Init = 9,
}
