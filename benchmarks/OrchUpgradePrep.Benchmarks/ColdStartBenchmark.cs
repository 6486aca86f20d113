using System.Diagnostics;
using System.Globalization;

namespace OrchUpgradePrep.Benchmarks;

/// <summary>
/// A cold `orchprep check --sandbox` process (the healthy scenario: exit 1, runbooks and backup unmet), 10 times, beside `dotnet --version` (the runtime's own start-up)
/// in the same run: median wall time of each and their ratio.
/// </summary>
internal static class ColdStartBenchmark
{
    public static int Run(string[] args)
    {
        var orchprep = args.FirstOrDefault() ?? Path.Combine(AppContext.BaseDirectory, "orchprep.dll");
        if (!File.Exists(orchprep))
        {
            Console.Error.WriteLine($"no {orchprep}: build src/OrchUpgradePrep.Cli -c Release and pass the path to orchprep.dll, or publish it and pass the executable");
            return 2;
        }

        var ours = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            baseline.Add(Time("dotnet", ["--version"], expectedExit: 0));
            // A .dll runs on the shared runtime (JIT); an executable is a published build (e.g. self-contained ReadyToRun).
            ours.Add(orchprep.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? Time("dotnet", [orchprep, "check", "--sandbox", "--format", "json"], expectedExit: 1)
                : Time(orchprep, ["check", "--sandbox", "--format", "json"], expectedExit: 1));
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold `orchprep check --sandbox`: median {Median(ours):0.000} s of 10 (goal < 1 s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"`dotnet --version`                   : median {Median(baseline):0.000} s of 10"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {Median(ours) / Median(baseline):0.0}x the runtime's own start-up"));
        return 0;
    }

    private static double Time(string file, string[] arguments, int expectedExit)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == expectedExit ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}");
    }
}
