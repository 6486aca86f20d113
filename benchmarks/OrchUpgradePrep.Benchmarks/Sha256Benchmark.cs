using System.Diagnostics;
using System.IO.Abstractions;
using OrchUpgradePrep.Prerequisites.Backup;

namespace OrchUpgradePrep.Benchmarks;

internal static class Sha256Benchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Side-by-side, in one run: orchprep's streamed SHA-256 of a backup file vs `sha256sum` on the same file.
        // Usage: dotnet run -c Release --project benchmarks/OrchUpgradePrep.Benchmarks -- sha256 [size-MiB=1024] [rounds=3]
        var sizeMiB = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1024;
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var path = Path.Combine(Path.GetTempPath(), $"orchprep-bench-{Guid.NewGuid():N}.bak");
        try
        {
            WriteRandomFile(path, sizeMiB);
            var hasher = new FileHasher(new FileSystem());
            var ours = new List<double>();
            var theirs = new List<double>();
            string? ourHash = null, theirHash = null;
            long allocated = 0;
            for (var round = 0; round < rounds; round++)
            {
                // Alternate the order so the page cache favours neither side.
                foreach (var first in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    if (first)
                    {
                        var before = GC.GetTotalAllocatedBytes(precise: true);
                        var watch = Stopwatch.StartNew();
                        ourHash = await hasher.Sha256Async(path, null, CancellationToken.None);
                        ours.Add(watch.Elapsed.TotalSeconds);
                        allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    }
                    else
                    {
                        var watch = Stopwatch.StartNew();
                        theirHash = RunSha256Sum(path);
                        theirs.Add(watch.Elapsed.TotalSeconds);
                    }
                }
            }

            double Rate(List<double> seconds) => sizeMiB / seconds.Order().ElementAt(seconds.Count / 2);
            Console.WriteLine($"file: {sizeMiB} MiB, {rounds} rounds, median");
            Console.WriteLine($"orchprep FileHasher : {Rate(ours),8:0.0} MiB/s   allocated per hash: {allocated / 1024.0:0} KiB");
            Console.WriteLine($"sha256sum           : {Rate(theirs),8:0.0} MiB/s");
            Console.WriteLine($"ratio orchprep/sha256sum: {Rate(ours) / Rate(theirs):0.00}x   (goal >= 0.90x)");
            Console.WriteLine($"hashes agree: {string.Equals(ourHash, theirHash, StringComparison.Ordinal)}");
            return string.Equals(ourHash, theirHash, StringComparison.Ordinal) ? 0 : 1;
        }
        finally
        {
            File.Delete(path);
        }
    }

    static void WriteRandomFile(string path, int sizeMiB)
    {
        var buffer = new byte[1 << 20];
        var random = new Random(42);
        using var stream = File.Create(path);
        for (var i = 0; i < sizeMiB; i++)
        {
            random.NextBytes(buffer);
            stream.Write(buffer);
        }
    }

    static string RunSha256Sum(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [path]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split(' ')[0];
    }
}
