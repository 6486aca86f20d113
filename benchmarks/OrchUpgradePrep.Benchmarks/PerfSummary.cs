using System.Globalization;
using System.Text.RegularExpressions;

namespace OrchUpgradePrep.Benchmarks;

/// <summary>
/// Reads `perf script -F comm,tid,time,ip,sym,dso` of a `perf record -g` run (with DOTNET_PerfMapEnabled=1, so JIT-compiled
/// frames have names) and prints where the CPU went: by owner — the nearest frame in each sampled stack that belongs to a
/// known part (orchprep, SqlClient, the in-process sandbox servers…) — and by the kind of code on the CPU (managed, JIT,
/// GC and runtime, kernel). Samples in the first quarter of the run are left out: that is the sandboxes' start-up and
/// the warm-up, not the timed checks. perf samples on-CPU time only, unlike dotnet-trace's thread-time sampling,
/// which also counts threads blocked in managed code.
/// </summary>
internal static partial class PerfSummary
{
    // The first match, searching from the leaf, names the owner of a sample.
    private static readonly (string Marker, string Owner)[] Owners =
    [
        ("OrchUpgradePrep.Sandbox", "sandbox servers (simulated SQL Server and web service; a real environment runs these on its own machines)"),
        ("Microsoft.AspNetCore", "sandbox servers (simulated SQL Server and web service; a real environment runs these on its own machines)"),
        ("Microsoft.Data.SqlClient", "SqlClient (TDS client)"),
        ("OrchUpgradePrep.Platform.HostFacts", "orchprep host facts (snapshot files: JSON, .reg)"),
        ("OrchUpgradePrep.Platform", "orchprep platform (OData client, SQL session)"),
        ("OrchUpgradePrep.", "orchprep checks and runner"),
        ("System.Net.Http", "HttpClient"),
        ("System.Net.Security", "TLS (SslStream)"),
    ];

    public static int Run(string[] args)
    {
        if (args.Length != 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: perf-summary <output of perf script -F comm,tid,time,ip,sym,dso>");
            return 2;
        }

        var samples = Read(args[0]);
        if (samples.Count == 0)
        {
            Console.Error.WriteLine($"{args[0]}: no samples");
            return 1;
        }

        var first = samples.Min(s => s.Time);
        var last = samples.Max(s => s.Time);
        var window = samples.Where(s => s.Time >= first + ((last - first) / 4)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"on-CPU samples: {samples.Count} over {last - first:0.0} s; {window.Count} after the first quarter (start-up and warm-up left out)"));
        Print("by owner (nearest known frame in the stack)", window.GroupBy(OwnerOf), window.Count);
        Print("by code on the CPU (the sampled frame)", window.GroupBy(s => KindOf(s.Frames.FirstOrDefault() ?? string.Empty)), window.Count);
        return 0;
    }

    private static void Print(string title, IEnumerable<IGrouping<string, Sample>> groups, int total)
    {
        Console.WriteLine(title + ":");
        foreach (var group in groups.OrderByDescending(g => g.Count()))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * group.Count() / total,5:0.0} %  {group.Key}"));
        }
    }

    private static string OwnerOf(Sample sample)
    {
        foreach (var frame in sample.Frames)
        {
            foreach (var (marker, owner) in Owners)
            {
                if (frame.Contains(marker, StringComparison.Ordinal))
                {
                    return owner;
                }
            }
        }

        return "no known frame (thread pool dispatch, GC and JIT threads, runtime)";
    }

    private static string KindOf(string leaf) => leaf switch
    {
        _ when leaf.Contains("kallsyms", StringComparison.Ordinal) => "kernel (syscalls, scheduling, page faults)",
        _ when leaf.Contains("libclrjit", StringComparison.Ordinal) => "JIT compiler",
        _ when leaf.Contains("libcoreclr", StringComparison.Ordinal) => "runtime (GC, type system, stubs)",
        _ when leaf.Contains("libssl", StringComparison.Ordinal) || leaf.Contains("libcrypto", StringComparison.Ordinal) => "OpenSSL (TLS, X.509)",
        _ when leaf.Contains("libc.so", StringComparison.Ordinal) => "libc",
        _ => "managed code",
    };

    private static List<Sample> Read(string path)
    {
        var samples = new List<Sample>();
        Sample? current = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                current = null;
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                // "comm  tid  seconds.micros:" — comm can hold spaces (".NET TP Worker").
                var header = HeaderPattern().Match(line);
                if (header.Success)
                {
                    current = new Sample(double.Parse(header.Groups["time"].Value, CultureInfo.InvariantCulture), []);
                    samples.Add(current);
                }

                continue;
            }

            current?.Frames.Add(line.Trim());
        }

        return samples;
    }

    [GeneratedRegex(@"\s(?<tid>\d+)\s+(?<time>\d+\.\d+):\s*$")]
    private static partial Regex HeaderPattern();

    private sealed record Sample(double Time, List<string> Frames);
}
