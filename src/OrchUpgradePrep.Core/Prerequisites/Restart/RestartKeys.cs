namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>The registry locations the restart checks read (docs/facts/restart-signals.md), relative to HKLM, 64-bit view.</summary>
public static class RestartKeys
{
    public const string ComponentBasedServicing = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing";
    public const string WindowsUpdate = @"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate";
    public const string AutoUpdate = WindowsUpdate + @"\Auto Update";
    public const string SessionManager = @"SYSTEM\CurrentControlSet\Control\Session Manager";
    public const string ActiveComputerName = @"SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName";
    public const string ComputerName = @"SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName";
    public const string Netlogon = @"SYSTEM\CurrentControlSet\Services\Netlogon";
    public const string ServerManager = @"SOFTWARE\Microsoft\ServerManager";
    public const string ServerComponentCache = ServerManager + @"\ServicingStorage\ServerComponentCache";
    public const string Updates = @"SOFTWARE\Microsoft\Updates";
    public const string Updates32 = @"SOFTWARE\WOW6432Node\Microsoft\Updates";
    public const string RunOnce = @"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce";
    public const string ConfigMgrClient = @"SOFTWARE\Microsoft\CCM";
}
