using System.Diagnostics;
using System.Text;

using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>Runs the real orchprep binary (built beside the tests) as a child process, as a pipeline would.</summary>
internal static class OrchPrepProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static string BinaryPath => Path.Combine(AppContext.BaseDirectory, "orchprep.dll");

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(BinaryPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A test must not inherit the CI system it runs inside: it decides the pipeline host itself.
        foreach (var name in new[] { "TF_BUILD", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY" })
        {
            info.Environment.Remove(name);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ORCHPREP_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["NO_COLOR"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    public static Task<ProcessRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        RunAsync(StartInfo(workingDirectory, environment, args));

    /// <summary>Any process with redirected output, to its end, bounded: killed (with its children) after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessRun> RunAsync(ProcessStartInfo info, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish in {limit}.");
        }

        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record ProcessRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
