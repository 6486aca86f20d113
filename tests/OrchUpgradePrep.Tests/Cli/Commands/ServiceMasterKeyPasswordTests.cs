using System.Text.Json;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Tests.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>prepare in-process against the sandbox: a weak ORCHPREP_SMK_PASSWORD is refused by the server's password
/// policy and the advice names the secret, not the folder.</summary>
public sealed class ServiceMasterKeyPasswordTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-smk-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_weak_password_leaves_the_key_unsaved_with_password_policy_advice()
    {
        // Long but one character class (a one-letter secret would be masked all over the report).
        var (exit, report, session, stderr) = await PrepareAsync("onlylowercase");

        Assert.True(exit == 1, $"exit {exit}\n{stderr}\n{report}");
        var check = Check(report, "backup.service-master-key");
        Assert.Equal("unmet", check.GetProperty("status").GetString());
        var remediation = check.GetProperty("remediation").GetString()!;
        Assert.Contains("ORCHPREP_SMK_PASSWORD does not meet the SQL Server's password policy", remediation, StringComparison.Ordinal);
        Assert.Contains("at least 8 characters", remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("folder", remediation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("15118", check.ToString(), StringComparison.Ordinal);
        Assert.Equal("met", Check(report, "backup.verifyonly").GetProperty("status").GetString());
        Assert.Contains(report.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "save-keys" && a.GetProperty("outcome").GetString() == "failed");
        Assert.Empty(Directory.GetFiles(session.SqlServer.Engine.BackupDirectory, "*.smk"));
        Assert.DoesNotContain("onlylowercase", report.ToString() + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_strong_password_saves_the_key()
    {
        var (exit, report, session, stderr) = await PrepareAsync("Smk-Secret-4711");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Equal("met", Check(report, "backup.service-master-key").GetProperty("status").GetString());
        Assert.Single(Directory.GetFiles(session.SqlServer.Engine.BackupDirectory, "*.smk"));
        Assert.DoesNotContain("Smk-Secret-4711", report.ToString(), StringComparison.Ordinal);
    }

    private static JsonElement Check(JsonElement report, string id) =>
        Assert.Single(report.GetProperty("checks").EnumerateArray(), c => c.GetProperty("id").GetString() == id);

    private async Task<(int Exit, JsonElement Report, SandboxSession Session, string Stderr)> PrepareAsync(string smkPassword)
    {
        SandboxSession? session = null;
        var output = Path.Combine(_work.FullName, "out");
        var (exit, _, stderr) = await InProcessCli.RunAsync(["prepare", "--sandbox=healthy", "--only", "backup", "--format", "json", "--output", output],
            new Dictionary<string, string> { ["ORCHPREP_SMK_PASSWORD"] = smkPassword }, _work.FullName,
            sandboxes: new KeptSandboxLauncher(Path.Combine(_work.FullName, "sandbox"), started => session = started));

        Assert.NotNull(session);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement.Clone();
        return (exit, report, session, stderr);
    }
}
