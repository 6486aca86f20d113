#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Writes an orchprep snapshot of this host: reg export files and host.json.

.DESCRIPTION
    Run elevated, in 64-bit Windows PowerShell 5.1 or PowerShell 7, on the Orchestrator host to be checked
    offline. The script writes into -OutputDirectory:

      registry.reg, 02-ndp.reg ... 19-sni19.reg
          reg.exe export of each registry subtree the orchprep checks read (docs/snapshots.md). A key that
          does not exist is skipped with a warning and listed in host.json absentRegistryKeys.
      host.json
          facts the registry does not hold (schemaVersion 1): operating system, hardware, fixed volumes,
          .NET runtimes, processes and services (with their logon account), the Administrators and
          OrchestratorSystemGroup members, local service accounts' state, DSC's LCM state and whether pending
          file renames' sources exist, read with CIM and from %ProgramFiles%\dotnet\shared.
      iis-logs\W3SVC<id>\u_ex*.log
          on a host with IIS: a copy of each W3C-logging site's log files written in the last -IisLogDays days
          (requirements.legacy-web-service reads who calls Orchestrator.svc from them). They hold client
          addresses, user names and URLs: review them before copying the folder off the host.

    Copy the folder next to orchprep.yml and set the host's "snapshot:" to it.

    Nothing secret is collected: no passwords, no process command lines, no service arguments (pathName
    is cut to the executable). Note that the Session Manager export contains Session Manager\Environment,
    the machine-wide environment variables: review the folder before copying it off the host.

.PARAMETER OutputDirectory
    Folder to write. Default: .\<COMPUTERNAME>.

.PARAMETER Force
    Replace *.reg files, host.json and the iis-logs folder already in the output folder.

.PARAMETER IisLogDays
    How many days of IIS logs to copy into iis-logs (default 30, what the check looks back over); 0 copies none.

.EXAMPLE
    .\Export-OrchPrepSnapshot.ps1
    Writes .\ORCH-MS01\registry.reg, the other .reg files and host.json.

.EXAMPLE
    .\Export-OrchPrepSnapshot.ps1 -OutputDirectory D:\snapshots\orch-ms01 -Force
#>
[CmdletBinding()]
param(
    [string] $OutputDirectory = (Join-Path -Path '.' -ChildPath $env:COMPUTERNAME),
    [switch] $Force,
    [ValidateRange(0, 3650)]
    [int] $IisLogDays = 30
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# A 32-bit process sees WOW6432Node instead of the real keys and a different Program Files.
if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) {
    throw 'Run this script in 64-bit PowerShell (a 32-bit process reads the redirected WOW6432Node registry view).'
}

# Windows PowerShell 5.1 serialises some arrays as {"value":[...],"Count":n}; this type data causes it.
Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue

# HKLM subtrees, in file order: the first goes to registry.reg, the rest to NN-<name>.reg.
$exports = @(
    @{ Key = 'SOFTWARE\Microsoft\Windows NT\CurrentVersion';                          Name = 'currentversion' }
    @{ Key = 'SOFTWARE\Microsoft\NET Framework Setup\NDP';                            Name = 'ndp' }
    @{ Key = 'SOFTWARE\Microsoft\InetStp';                                            Name = 'inetstp' }
    @{ Key = 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall';                   Name = 'uninstall' }
    @{ Key = 'SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall';       Name = 'uninstall-wow64' }
    @{ Key = 'SOFTWARE\WOW6432Node\Microsoft\SystemCenter2012\Orchestrator';          Name = 'orchestrator-wow64' }
    @{ Key = 'SOFTWARE\Microsoft\SystemCenter2012\Orchestrator';                      Name = 'orchestrator' }
    # The restart checks (restart.*):
    @{ Key = 'SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing';   Name = 'cbs' }
    @{ Key = 'SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate';               Name = 'windowsupdate' }
    @{ Key = 'SYSTEM\CurrentControlSet\Control\Session Manager';                      Name = 'session-manager' }
    @{ Key = 'SYSTEM\CurrentControlSet\Control\ComputerName';                         Name = 'computername' }
    @{ Key = 'SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce';                     Name = 'runonce' }
    @{ Key = 'SYSTEM\CurrentControlSet\Services\Netlogon';                            Name = 'netlogon' }
    @{ Key = 'SOFTWARE\Microsoft\ServerManager';                                       Name = 'servermanager' }
    @{ Key = 'SOFTWARE\Microsoft\Updates';                                             Name = 'updates' }
    @{ Key = 'SOFTWARE\WOW6432Node\Microsoft\Updates';                                 Name = 'updates-wow64' }
    @{ Key = 'SOFTWARE\Microsoft\CCM';                                                 Name = 'ccm' }
    # requirements.vcredist: the Visual C++ 2015-2022 x64 runtime registers itself here.
    @{ Key = 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64';                  Name = 'vcruntime-x64' }
    # requirements.sql-certificate-trust: OLE DB Driver 19's client settings (TrustServerCertificate = GeneralFlags\Flag2).
    @{ Key = 'SOFTWARE\Microsoft\MSSQLServer\Client\SNI19.0';                          Name = 'sni19' }
)

# .NET file APIs resolve relative paths against the process directory, not the PowerShell location.
$folder = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputDirectory)
if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
    New-Item -ItemType Directory -Path $folder | Out-Null
}

$stale = @(Get-ChildItem -LiteralPath $folder | Where-Object { $_.Extension -eq '.reg' -or $_.Name -eq 'host.json' -or $_.Name -eq 'iis-logs' })
if ($stale.Count -gt 0) {
    if (-not $Force) {
        throw "$folder already holds $($stale.Count) snapshot file(s); a stale .reg file would be read as current. Use -Force to replace them, or another -OutputDirectory."
    }
    $stale | Remove-Item -Force -Recurse
}

$reg = Join-Path -Path $env:SystemRoot -ChildPath 'System32\reg.exe'
$absentKeys = New-Object System.Collections.Generic.List[string]
for ($i = 0; $i -lt $exports.Count; $i++) {
    $key = $exports[$i].Key
    $fileName = if ($i -eq 0) { 'registry.reg' } else { '{0:00}-{1}.reg' -f ($i + 1), $exports[$i].Name }
    if (-not (Test-Path -LiteralPath "HKLM:\$key")) {
        Write-Warning "HKLM\$key does not exist on this host; not exported, listed in host.json absentRegistryKeys."
        $absentKeys.Add($key)
        continue
    }

    $target = Join-Path -Path $folder -ChildPath $fileName
    # reg.exe reports on stderr; under 'Stop' Windows PowerShell would turn that into a terminating error.
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    $output = & $reg export "HKLM\$key" $target /y 2>&1 | ForEach-Object { "$_" }
    $exitCode = $LASTEXITCODE
    $ErrorActionPreference = $previous
    if ($exitCode -ne 0) {
        throw "reg export HKLM\$key failed (exit code $exitCode): $($output -join ' ')"
    }
    Write-Verbose "Exported HKLM\$key to $fileName"
}

function Get-RegistryString([string] $Path, [string] $Name) {
    try {
        return [string](Get-ItemPropertyValue -LiteralPath $Path -Name $Name)
    }
    catch {
        return $null
    }
}

# Win32_Service.PathName may carry arguments, and arguments sometimes carry secrets: keep the executable only.
function Get-ExecutableOnly([string] $PathName) {
    if ([string]::IsNullOrWhiteSpace($PathName)) { return $null }
    $text = $PathName.Trim()
    if ($text.StartsWith('"')) {
        $end = $text.IndexOf('"', 1)
        if ($end -gt 0) { return $text.Substring(0, $end + 1) }
        return $text
    }
    $match = [regex]::Match($text, '^.*?\.(exe|com|bat|cmd)(?=\s|$)', 'IgnoreCase')
    if ($match.Success) { return $match.Value }
    return ($text -split '\s+', 2)[0]
}

$os = Get-CimInstance -ClassName Win32_OperatingSystem
$computer = Get-CimInstance -ClassName Win32_ComputerSystem
$processors = @(Get-CimInstance -ClassName Win32_Processor)
if ($processors.Count -eq 0) { throw 'Win32_Processor returned no processors.' }

# orchprep compares the first label with the configured host name; the DNS host name is not cut to 15 characters.
$hostName = $env:COMPUTERNAME
if ($computer.PSObject.Properties['DNSHostName'] -and -not [string]::IsNullOrWhiteSpace($computer.DNSHostName)) {
    $hostName = $computer.DNSHostName
}

$volumes = @(Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=3' |
    Where-Object { $null -ne $_.Size -and $null -ne $_.FreeSpace } |
    ForEach-Object { [ordered]@{ name = $_.DeviceID; sizeBytes = [long]$_.Size; freeBytes = [long]$_.FreeSpace } })

# As `dotnet --list-runtimes` lists them: %ProgramFiles%\dotnet\shared\<name>\<version>.
$programFiles = if ($env:ProgramW6432) { $env:ProgramW6432 } else { $env:ProgramFiles }
$shared = Join-Path -Path $programFiles -ChildPath 'dotnet\shared'
$runtimes = @()
if (Test-Path -LiteralPath $shared -PathType Container) {
    $runtimes = @(Get-ChildItem -LiteralPath $shared -Directory | ForEach-Object {
        $runtimeName = $_.Name
        Get-ChildItem -LiteralPath $_.FullName -Directory |
            Where-Object { $_.Name -match '^\d' } |
            ForEach-Object { [ordered]@{ name = $runtimeName; version = $_.Name } }
    })
}

# No CommandLine: it can hold passwords. The owner (userName) is left null, as the live adapter does.
$processes = @(Get-CimInstance -ClassName Win32_Process | ForEach-Object {
    [ordered]@{
        processId      = [int]$_.ProcessId
        name           = [string]$_.Name
        executablePath = $(if ($_.ExecutablePath) { [string]$_.ExecutablePath } else { $null })
        userName       = $null
        sessionId      = [int]$_.SessionId
    }
})

# WTS sessions through the WTS API (quser's output is localised; the API's state numbers are not).
Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
public static class OrchPrepWts
{
    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    private struct WTS_SESSION_INFO { public int SessionId; public string WinStationName; public int State; }
    [DllImport("wtsapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool WTSEnumerateSessions(IntPtr server, int reserved, int version, out IntPtr info, out int count);
    [DllImport("wtsapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern bool WTSQuerySessionInformation(IntPtr server, int sessionId, int infoClass, out IntPtr buffer, out int bytes);
    [DllImport("wtsapi32.dll")]
    private static extern void WTSFreeMemory(IntPtr memory);
    private static readonly string[] States = { "Active", "Connected", "ConnectQuery", "Shadow", "Disconnected", "Idle", "Listen", "Reset", "Down", "Init" };
    private static string Query(int session, int infoClass)
    {
        IntPtr buffer; int bytes;
        if (!WTSQuerySessionInformation(IntPtr.Zero, session, infoClass, out buffer, out bytes)) { return null; }
        try { var text = Marshal.PtrToStringUni(buffer); return string.IsNullOrEmpty(text) ? null : text; } finally { WTSFreeMemory(buffer); }
    }
    public static List<object[]> Sessions()
    {
        IntPtr info; int count;
        if (!WTSEnumerateSessions(IntPtr.Zero, 0, 1, out info, out count)) { throw new System.ComponentModel.Win32Exception(); }
        var result = new List<object[]>();
        try
        {
            var size = Marshal.SizeOf(typeof(WTS_SESSION_INFO));
            for (var i = 0; i < count; i++)
            {
                var s = (WTS_SESSION_INFO)Marshal.PtrToStructure(new IntPtr(info.ToInt64() + i * size), typeof(WTS_SESSION_INFO));
                var user = Query(s.SessionId, 5);      // WTSUserName
                var domain = Query(s.SessionId, 7);    // WTSDomainName
                var client = Query(s.SessionId, 10);   // WTSClientName
                var state = s.State >= 0 && s.State < States.Length ? States[s.State] : "Unknown";
                result.Add(new object[] { s.SessionId, user == null ? null : (domain == null ? user : domain + "\\" + user), state, client });
            }
        }
        finally { WTSFreeMemory(info); }
        return result;
    }
}
'@
$sessions = @([OrchPrepWts]::Sessions() | ForEach-Object {
    [ordered]@{ sessionId = [int]$_[0]; userName = $_[1]; state = [string]$_[2]; clientName = $_[3] }
})

# The Configuration Manager client's own restart state; no root\ccm\ClientSDK namespace = no client.
$configMgrReboot = [ordered]@{ clientPresent = $false }
if (Get-CimInstance -Namespace 'root\ccm' -ClassName '__NAMESPACE' -Filter "Name='ClientSDK'" -ErrorAction SilentlyContinue) {
    $ccm = Invoke-CimMethod -Namespace 'root\ccm\ClientSDK' -ClassName 'CCM_ClientUtilities' -MethodName 'DetermineIfRebootPending' -ErrorAction Stop
    $configMgrReboot = [ordered]@{
        clientPresent       = $true
        returnValue         = [int]$ccm.ReturnValue
        rebootPending       = [bool]$ccm.RebootPending
        isHardRebootPending = [bool]$ccm.IsHardRebootPending
    }
}

$services = @(Get-CimInstance -ClassName Win32_Service | ForEach-Object {
    [ordered]@{
        name        = [string]$_.Name
        displayName = $(if ($_.DisplayName) { [string]$_.DisplayName } else { [string]$_.Name })
        state       = $(if ($_.State) { [string]$_.State } else { 'Unknown' })
        startMode   = $(if ($_.StartMode) { [string]$_.StartMode } else { 'Unknown' })
        pathName    = (Get-ExecutableOnly ([string]$_.PathName))
        startName   = $(if ($_.StartName) { [string]$_.StartName } else { $null })
        processId   = $(if ($null -ne $_.ProcessId) { [int]$_.ProcessId } else { $null })
        sharesProcess = $(if ($_.ServiceType) { [string]$_.ServiceType -eq 'Share Process' } else { $null })
    }
})

# Direct members of the local groups accounts.upgrade-admin reads (nested domain groups are listed, not expanded).
$localGroups = [ordered]@{}
foreach ($group in @('Administrators', 'OrchestratorSystemGroup')) {
    $found = Get-CimInstance -ClassName Win32_Group -Filter "LocalAccount = TRUE AND Name = '$group'" -ErrorAction SilentlyContinue
    if ($found) {
        $localGroups[$group] = @(Get-CimAssociatedInstance -InputObject $found -ResultClassName Win32_Account -Association Win32_GroupUser |
            ForEach-Object { [ordered]@{ name = "$($_.Domain)\$($_.Name)"; kind = $(if ($_.CimClass.CimClassName -eq 'Win32_Group') { 'Group' } else { 'User' }) } })
    }
}

# Local accounts the Orchestrator services log on as: their state (a domain account's state lives in AD: left out).
$accounts = @($services | Where-Object { $_.name -in @('omanagement', 'orunbook', 'omonitor', 'oremoting') -and $_.startName -match '^(\.|' + [regex]::Escape($env:COMPUTERNAME) + ')\\' } |
    ForEach-Object {
        $user = ($_.startName -split '\\', 2)[1]
        $local = Get-CimInstance -ClassName Win32_UserAccount -Filter "LocalAccount = TRUE AND Name = '$user'" -ErrorAction SilentlyContinue
        if ($local) { [ordered]@{ name = $_.startName; lockedOut = [bool]$local.Lockout; disabled = [bool]$local.Disabled; passwordExpired = $null } }
    })

# DSC's Local Configuration Manager; no namespace = no DSC.
$dsc = [ordered]@{ present = $false }
if (Get-CimInstance -Namespace 'root\Microsoft\Windows' -ClassName '__NAMESPACE' -Filter "Name='DesiredStateConfiguration'" -ErrorAction SilentlyContinue) {
    $meta = Invoke-CimMethod -Namespace 'root\Microsoft\Windows\DesiredStateConfiguration' -ClassName 'MSFT_DSCLocalConfigurationManager' -MethodName 'GetMetaConfiguration' -ErrorAction Stop
    $dsc = [ordered]@{ present = $true; lcmState = [string]$meta.MetaConfiguration.LCMState }
}

# Whether the source of each pending file rename still exists (stale entries).
$files = [ordered]@{}
foreach ($valueName in @('PendingFileRenameOperations', 'PendingFileRenameOperations2')) {
    $strings = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name $valueName -ErrorAction SilentlyContinue).$valueName
    for ($i = 0; $strings -and $i -lt $strings.Count; $i += 2) {
        $path = ([string]$strings[$i]).Trim() -replace '^\\\?\?\\', ''
        if ($path -match '^[A-Za-z]:\\' -and -not $files.Contains($path)) { $files[$path] = (Test-Path -LiteralPath $path -PathType Leaf) }
    }
}

$document = [ordered]@{
    schemaVersion      = 1
    hostName           = $hostName
    capturedAt         = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
    operatingSystem    = [ordered]@{
        caption          = ([string]$os.Caption).Trim()
        version          = [string]$os.Version
        build            = [int]$os.BuildNumber
        installationType = (Get-RegistryString 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' 'InstallationType')
    }
    hardware           = [ordered]@{
        totalPhysicalMemoryBytes = [long]$computer.TotalPhysicalMemory
        cpuCores                 = [int]($processors | Measure-Object -Property NumberOfCores -Sum).Sum
        logicalProcessors        = [int]($processors | Measure-Object -Property NumberOfLogicalProcessors -Sum).Sum
        maxClockSpeedMHz         = [int]($processors | Measure-Object -Property MaxClockSpeed -Minimum).Minimum
    }
    volumes            = $volumes
    dotnetRuntimes     = $runtimes
    processes          = $processes
    sessions           = $sessions
    configMgrReboot    = $configMgrReboot
    services           = $services
    localGroups        = $localGroups
    accounts           = $accounts
    dscLocalConfigurationManager = $dsc
    files              = $files
    absentRegistryKeys = @($absentKeys.ToArray())
}

# IIS W3C logs of every site, from applicationHost.config (a site's own <logFile directory>, else <siteDefaults>'s,
# else %SystemDrive%\inetpub\logs\LogFiles), the files written in the last -IisLogDays days, as iis-logs\W3SVC<id>.
$iisLogCount = 0
$appHost = Join-Path -Path $env:windir -ChildPath 'System32\inetsrv\config\applicationHost.config'
if ($IisLogDays -gt 0 -and (Test-Path -LiteralPath $appHost -PathType Leaf)) {
    [xml] $iisConfig = Get-Content -LiteralPath $appHost -Raw
    # XPath rather than property access: under StrictMode a missing element or attribute would throw.
    $defaults = $iisConfig.SelectSingleNode('/configuration/system.applicationHost/sites/siteDefaults/logFile')
    $cutoff = (Get-Date).ToUniversalTime().AddDays(-$IisLogDays)
    foreach ($site in @($iisConfig.SelectNodes('/configuration/system.applicationHost/sites/site'))) {
        $own = $site.SelectSingleNode('logFile')
        $setting = {
            param([string] $Name, [string] $Default)
            if ($own -and $own.GetAttribute($Name)) { $own.GetAttribute($Name) }
            elseif ($defaults -and $defaults.GetAttribute($Name)) { $defaults.GetAttribute($Name) }
            else { $Default }
        }
        $format = & $setting 'logFormat' 'W3C'
        $directory = & $setting 'directory' '%SystemDrive%\inetpub\logs\LogFiles'
        $siteId = $site.GetAttribute('id')
        if ($format -ne 'W3C' -or -not $siteId) {
            Write-Warning "IIS site '$($site.GetAttribute('name'))' does not log in W3C format (or has no id): its log is not copied."
            continue
        }
        $source = Join-Path -Path ([Environment]::ExpandEnvironmentVariables($directory)) -ChildPath "W3SVC$siteId"
        if (-not (Test-Path -LiteralPath $source -PathType Container)) { continue }
        $logFiles = @(Get-ChildItem -LiteralPath $source -Filter 'u_ex*.log' -File | Where-Object { $_.LastWriteTimeUtc -ge $cutoff })
        if ($logFiles.Count -eq 0) { continue }
        $destination = Join-Path -Path $folder -ChildPath "iis-logs\W3SVC$siteId"
        New-Item -ItemType Directory -Path $destination -Force | Out-Null
        foreach ($logFile in $logFiles) {
            # The copy keeps the file's last write time, which the check filters on.
            Copy-Item -LiteralPath $logFile.FullName -Destination $destination
            $iisLogCount++
        }
    }
    if ($iisLogCount -eq 0) {
        # An empty folder says "the logs were exported and show no request", not "unknown".
        New-Item -ItemType Directory -Path (Join-Path -Path $folder -ChildPath 'iis-logs') -Force | Out-Null
    }
}

$json = ConvertTo-Json -InputObject $document -Depth 5
$hostJson = Join-Path -Path $folder -ChildPath 'host.json'
[System.IO.File]::WriteAllText($hostJson, $json, (New-Object System.Text.UTF8Encoding $false))

Write-Host "Snapshot of $hostName written to $folder ($($exports.Count - $absentKeys.Count) registry exports, host.json, $iisLogCount IIS log file(s))."
if ($absentKeys.Count -gt 0) {
    Write-Host "Absent keys (recorded in host.json): $($absentKeys -join ', ')"
}
