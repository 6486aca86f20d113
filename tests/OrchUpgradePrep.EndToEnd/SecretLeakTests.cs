using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>A secret given through the environment never reaches console, JSON, Markdown or JUnit output, even
/// when an error message echoes it back (here: a snapshot path that happens to contain it).</summary>
public sealed class SecretLeakTests
{
    private const string Secret = "Pw-4711-sEcReT";

    [Fact]
    public async Task A_secret_echoed_by_an_error_is_masked_in_every_output()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "orchprep.yml"), $$"""
            environments:
              prod:
                target: "2022"
                sql:
                  server: "127.0.0.1,1"
                  auth: sql
                  user: orchprep
                  passwordEnv: MY_SQL_PASSWORD
                hosts:
                  - name: orch-ms01
                    roles: [management-server]
                    snapshot: "snapshots/{{Secret}}"
                policies:
                  backup: { directory: "no-such-share" }
            """);
        var env = new Dictionary<string, string?> { ["MY_SQL_PASSWORD"] = Secret };

        var console = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--output", "out");
        var json = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--format", "json");
        var markdown = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--format", "markdown");
        var junit = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--format", "junit");

        // The run really failed on the path that holds the secret: the error must be there, masked.
        Assert.True(console.ExitCode == 3, console.ToString());
        Assert.Contains("snapshots/***", console.StandardOutput, StringComparison.Ordinal);
        foreach (var run in new[] { console, json, markdown, junit })
        {
            Assert.DoesNotContain(Secret, run.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, run.StandardError, StringComparison.Ordinal);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(dir.Path, "out")))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            // Markdown escapes the mask's asterisks; the other formats carry it as is.
            Assert.True(text.Contains("snapshots/***", StringComparison.Ordinal) || text.Contains(@"snapshots/\*\*\*", StringComparison.Ordinal), $"{file}: no masked path in\n{text}");
        }
    }
}
