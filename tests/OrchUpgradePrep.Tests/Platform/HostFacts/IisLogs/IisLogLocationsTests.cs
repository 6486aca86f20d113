using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Platform.HostFacts.IisLogs;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.IisLogs;

public sealed class IisLogLocationsTests
{
    private const string Config = "/windows/System32/inetsrv/config/applicationHost.config";

    // %windir% and %SystemDrive% as a Linux test machine can hold them; backslashes as IIS writes them.
    private static string Expand(string path) => path
        .Replace("%windir%", "/windows", StringComparison.OrdinalIgnoreCase)
        .Replace("%SystemDrive%", "/c", StringComparison.OrdinalIgnoreCase)
        .Replace('\\', '/');

    private static MockFileSystem WithConfig(string sites, string log = "")
    {
        var fs = new MockFileSystem();
        fs.AddFile(Config, new MockFileData($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration>
              <system.applicationHost>
                {log}
                <sites>
                  {sites}
                </sites>
              </system.applicationHost>
            </configuration>
            """));
        return fs;
    }

    [Fact]
    public void Every_W3C_site_is_read_from_its_own_folder_else_the_site_defaults()
    {
        var fs = WithConfig("""
            <site name="Default Web Site" id="1" />
            <site name="Microsoft System Center 2012 Orchestrator Web Service" id="2">
              <logFile directory="%SystemDrive%\IISLogs" />
            </site>
            <siteDefaults><logFile logFormat="W3C" directory="%SystemDrive%\logs" /></siteDefaults>
            """);
        fs.AddFile("/c/logs/W3SVC1/u_ex261201.log", new MockFileData(string.Empty));
        fs.AddFile("/c/IISLogs/W3SVC2/u_ex261201.log", new MockFileData(string.Empty));
        fs.AddFile("/c/IISLogs/W3SVC2/notes.txt", new MockFileData(string.Empty));

        var (files, notes) = IisLogLocations.Find(fs, Expand);

        Assert.Equal(
            [fs.Path.GetFullPath("/c/IISLogs/W3SVC2/u_ex261201.log"), fs.Path.GetFullPath("/c/logs/W3SVC1/u_ex261201.log")],
            files.Select(f => fs.Path.GetFullPath(f.Path)).Order(StringComparer.Ordinal));
        Assert.Empty(notes);
    }

    [Fact]
    public void Without_a_directory_the_default_inetpub_folder_is_read()
    {
        var fs = WithConfig("""<site name="Default Web Site" id="1" />""");
        fs.AddFile("/c/inetpub/logs/LogFiles/W3SVC1/u_ex261201.log", new MockFileData(string.Empty));

        var (files, _) = IisLogLocations.Find(fs, Expand);

        Assert.Single(files);
    }

    [Fact]
    public void Sites_that_cannot_be_read_are_named_in_notes()
    {
        var fs = WithConfig("""
            <site name="off" id="3"><logFile enabled="false" /></site>
            <site name="ncsa" id="4"><logFile logFormat="NCSA" /></site>
            <site name="fresh" id="5" />
            <site name="no id" />
            """);

        var (files, notes) = IisLogLocations.Find(fs, Expand);

        Assert.Empty(files);
        Assert.Collection(notes,
            n => Assert.Contains("'off' (id 3) has logging off", n, StringComparison.Ordinal),
            n => Assert.Contains("'ncsa' (id 4) logs in the NCSA format", n, StringComparison.Ordinal),
            n => Assert.Contains("'fresh' (id 5)", n, StringComparison.Ordinal),
            n => Assert.Contains("'no id' has no id", n, StringComparison.Ordinal));
    }

    [Fact]
    public void No_applicationHost_config_means_no_IIS_and_is_an_error()
    {
        var ex = Assert.Throws<HostFactsException>(() => IisLogLocations.Find(new MockFileSystem(), Expand));

        Assert.Contains("IIS is not installed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Central_logging_is_refused_rather_than_read_as_if_nobody_called()
    {
        var fs = WithConfig("""<site name="Default Web Site" id="1" />""", """<log centralLogFileMode="CentralW3C" />""");

        var ex = Assert.Throws<HostFactsException>(() => IisLogLocations.Find(fs, Expand));

        Assert.Contains("CentralW3C", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_config_is_an_error_naming_the_file()
    {
        var fs = new MockFileSystem();
        fs.AddFile(Config, new MockFileData("<configuration><system.applicationHost>"));

        var ex = Assert.Throws<HostFactsException>(() => IisLogLocations.Find(fs, Expand));

        Assert.Contains("applicationHost.config", ex.Message, StringComparison.Ordinal);
    }
}
