using System.Globalization;
using OrchUpgradePrep.Fuzz;

// orchprep fuzz console. Commands:
//   list                                         the target names
//   afl <target>                                 SharpFuzz/AFL mode: afl-fuzz runs this with the instrumented assemblies, input on stdin
//   stdin <target>                               run one input from stdin (exit 1 on a finding)
//   replay <target> <file>                       run one saved input and print how it ended
//   loop <target> <seconds> <seed> <corpus> <findings>   the built-in bounded mutation loop
//   seed-corpus <dir>                            write the seed corpus (from the product's writers) to <dir>/<target>/
const int usage = 64;
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: OrchUpgradePrep.Fuzz list | afl <target> | stdin <target> | replay <target> <file> | loop <target> <seconds> <seed> <corpus-dir> <findings-dir> | seed-corpus <dir>");
    return usage;
}

Func<byte[], CancellationToken, ValueTask<FuzzOutcome>> Target(string name) =>
    FuzzTargets.All.TryGetValue(name, out var target) ? target : throw new ArgumentException($"unknown target '{name}'; one of: {string.Join(", ", FuzzTargets.All.Keys)}");

static byte[] Clip(byte[] input) => input.Length > FuzzTargets.MaxInputBytes ? input[..FuzzTargets.MaxInputBytes] : input;

switch (args[0])
{
    case "list":
        foreach (var name in FuzzTargets.All.Keys)
        {
            Console.WriteLine(name);
        }

        return 0;

    case "afl" when args.Length == 2:
    {
        var target = Target(args[1]);
        // Only the documented errors are caught inside the target; anything else escapes and AFL records a crash.
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(Clip(buffer.ToArray()), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        });
        return 0;
    }

    case "stdin" when args.Length == 2:
    {
        using var buffer = new MemoryStream();
        await Console.OpenStandardInput().CopyToAsync(buffer);
        return await MutationLoop.ReplayAsync(Target(args[1]), Clip(buffer.ToArray()));
    }

    case "replay" when args.Length == 3:
        return await MutationLoop.ReplayAsync(Target(args[1]), Clip(await File.ReadAllBytesAsync(args[2])));

    case "loop" when args.Length == 6:
    {
        var name = args[1];
        var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        var seed = int.Parse(args[3], CultureInfo.InvariantCulture);
        var corpusDirectory = Path.Combine(args[4], name);
        var seeds = Directory.Exists(corpusDirectory)
            ? Directory.GetFiles(corpusDirectory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
            : SeedCorpus.For(name).Select(s => s.Data).ToList();
        var loop = new MutationLoop(name, Target(name), args[5]);
        var findings = await loop.RunAsync(seeds, TimeSpan.FromSeconds(seconds), seed, perInputTimeout: TimeSpan.FromSeconds(5));
        return findings == 0 ? 0 : 1;
    }

    case "seed-corpus" when args.Length == 2:
        foreach (var name in FuzzTargets.All.Keys)
        {
            var directory = Path.Combine(args[1], name);
            Directory.CreateDirectory(directory);
            foreach (var (file, data) in SeedCorpus.For(name))
            {
                await File.WriteAllBytesAsync(Path.Combine(directory, file), data);
            }
        }

        return 0;

    default:
        Console.Error.WriteLine($"unknown command or wrong arguments: {string.Join(' ', args)}");
        return usage;
}
