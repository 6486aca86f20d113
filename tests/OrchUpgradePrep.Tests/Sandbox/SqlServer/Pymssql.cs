using System.Diagnostics;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>A Python that can import pymssql (Debian package python3-pymssql: FreeTDS db-lib underneath), found once per
/// call: ORCHPREP_TEST_PYTHON, else python3 on PATH, else /usr/bin/python3 (a pyenv shim may shadow the system one).</summary>
internal static class Pymssql
{
    public static string? FindPython()
    {
        var candidates = Environment.GetEnvironmentVariable("ORCHPREP_TEST_PYTHON") is { Length: > 0 } configured
            ? [configured]
            : new[] { "python3", "/usr/bin/python3" };
        return candidates.FirstOrDefault(CanImport);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string python, string script, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static bool CanImport(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import pymssql"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
