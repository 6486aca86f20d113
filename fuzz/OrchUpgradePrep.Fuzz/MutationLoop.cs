using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace OrchUpgradePrep.Fuzz;

/// <summary>
/// The built-in fuzzer used when AFL is not available (and in CI): seeded random mutations of the corpus, run
/// in-process against the same target code, each input watched for time and allocation. No coverage feedback;
/// as a cheap substitute an input that produced a new kind of outcome (accepted, or a new error message shape)
/// joins the in-memory corpus.
/// </summary>
internal sealed class MutationLoop(string target, Func<byte[], CancellationToken, ValueTask<FuzzOutcome>> run, string findingsDirectory)
{
    private const int MaxCorpus = 4096;

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0x20];

    private readonly List<byte[]> _corpus = [];
    private readonly HashSet<string> _outcomeShapes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _findingKeys = new(StringComparer.Ordinal);
    private long _currentStart;
    private byte[] _current = [];

    public int Findings { get; private set; }

    public async Task<int> RunAsync(IEnumerable<byte[]> seeds, TimeSpan duration, int seed, TimeSpan perInputTimeout)
    {
        _corpus.AddRange(seeds.Select(s => s.Length > FuzzTargets.MaxInputBytes ? s[..FuzzTargets.MaxInputBytes] : s));
        if (_corpus.Count == 0)
        {
            _corpus.Add([]);
        }

        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        long executions = 0, accepted = 0, slowest = 0;
        long maxAllocated = 0;
        using var watchdog = new Timer(_ => CheckHang(perInputTimeout), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));

        // Every seed once as it is, then mutants until the time is up.
        var pending = new Queue<byte[]>(_corpus);
        while (clock.Elapsed < duration || pending.Count > 0)
        {
            var input = pending.Count > 0 ? pending.Dequeue() : Mutate(random);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            _current = input;
            Interlocked.Exchange(ref _currentStart, Stopwatch.GetTimestamp());
            FuzzOutcome? outcome = null;
            try
            {
                outcome = await run(input, CancellationToken.None);
            }
            catch (Exception e)
            {
                Report("crash", input, e.ToString(), e.GetType().FullName + "|" + FirstFrame(e));
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(Interlocked.Exchange(ref _currentStart, 0));
                slowest = Math.Max(slowest, (long)elapsed.TotalMilliseconds);
            }

            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            maxAllocated = Math.Max(maxAllocated, allocated);
            // A parser may buffer and decode its input a few times over; hundreds of times is a blow-up.
            if (allocated > (256L * 1024 * 1024) + (256L * input.Length))
            {
                Report("memory", input, $"{allocated / (1024 * 1024)} MiB allocated for a {input.Length}-byte input", "memory");
            }

            executions++;
            if (outcome is { Accepted: true })
            {
                accepted++;
            }

            if (outcome is not null && _outcomeShapes.Add(Shape(outcome)) && _corpus.Count < MaxCorpus)
            {
                _corpus.Add(input);
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(
            $"fuzz {target}: {executions} executions in {seconds:F1} s ({executions / Math.Max(seconds, 0.001):F0}/s), " +
            $"{accepted} accepted, {executions - accepted} refused, {_outcomeShapes.Count} distinct outcomes, corpus {_corpus.Count}, " +
            $"slowest input {slowest} ms, most allocated by one input {maxAllocated / 1024} KiB, {Findings} finding(s), seed {seed}");
        return Findings;
    }

    /// <summary>Runs one saved input and prints how it ended (for replaying a finding).</summary>
    public static async Task<int> ReplayAsync(Func<byte[], CancellationToken, ValueTask<FuzzOutcome>> run, byte[] input)
    {
        try
        {
            var outcome = await run(input, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Console.WriteLine(outcome.Accepted ? "accepted" : "refused: " + outcome.Error);
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine("FINDING: " + e);
            return 1;
        }
    }

    private void CheckHang(TimeSpan limit)
    {
        var started = Interlocked.Read(ref _currentStart);
        if (started != 0 && Stopwatch.GetElapsedTime(started) > limit)
        {
            // The loop thread is stuck in the parser: save the input and stop the process; nothing can unwind it.
            Report("hang", _current, $"no result after {limit.TotalSeconds:F0} s", "hang");
            Console.WriteLine($"fuzz {target}: HANG, stopping");
            Environment.Exit(3);
        }
    }

    private void Report(string kind, byte[] input, string detail, string key)
    {
        lock (_findingKeys)
        {
            Findings++;
            if (!_findingKeys.Add(key))
            {
                return;
            }

            Directory.CreateDirectory(findingsDirectory);
            var name = $"{target}-{kind}-{Convert.ToHexStringLower(SHA256.HashData(input))[..12]}";
            var path = Path.Combine(findingsDirectory, name);
            File.WriteAllBytes(path + ".bin", input);
            File.WriteAllText(path + ".txt", detail + Environment.NewLine);
            Console.WriteLine($"fuzz {target}: FINDING ({kind}) saved to {path}.bin: {detail.Split('\n')[0]}");
        }
    }

    private static string FirstFrame(Exception e) =>
        new StackTrace(e, fNeedFileInfo: false).GetFrames().Select(f => f.GetMethod()).FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("OrchUpgradePrep", StringComparison.Ordinal) == true) is { } method
            ? $"{method.DeclaringType?.Name}.{method.Name}"
            : "?";

    /// <summary>An outcome with digits and quoted parts blurred, so "line 3" and "line 4" count as one shape.</summary>
    private static string Shape(FuzzOutcome outcome)
    {
        if (outcome.Accepted)
        {
            return "accepted";
        }

        var text = new StringBuilder();
        var quoted = false;
        foreach (var c in outcome.Error!.Length > 120 ? outcome.Error[..120] : outcome.Error)
        {
            if (c is '\'' or '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && !char.IsDigit(c))
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private byte[] Mutate(Random random)
    {
        var data = new List<byte>(_corpus[random.Next(_corpus.Count)]);
        var count = 1 + random.Next(random.Next(2) == 0 ? 3 : 12);
        for (var i = 0; i < count; i++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count + 1);
            switch (random.Next(12))
            {
                case 0 when data.Count > 0:
                    var flip = Math.Min(at, data.Count - 1);
                    data[flip] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] = (byte)random.Next(256);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(Math.Min(at, data.Count - 1), Math.Min(1 + random.Next(16), data.Count - Math.Min(at, data.Count - 1)));
                    break;
                case 4:
                    // Truncation: the stream or file ends early.
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5:
                case 6:
                    var token = Encoding.UTF8.GetBytes(HostileTokens.All[random.Next(HostileTokens.All.Count)]);
                    data.InsertRange(at, random.Next(8) == 0 ? Repeat(token, 1 + random.Next(200)) : token);
                    break;
                case 7 when data.Count > 1:
                    // Duplicate a slice (repeated keys, entries, packets).
                    var start = random.Next(data.Count);
                    var length = Math.Min(1 + random.Next(64), data.Count - start);
                    var slice = data.GetRange(start, length);
                    data.InsertRange(at, random.Next(6) == 0 ? Repeat([.. slice], 2 + random.Next(50)) : slice);
                    break;
                case 8:
                    // Splice with another corpus member.
                    var other = _corpus[random.Next(_corpus.Count)];
                    var from = other.Length == 0 ? 0 : random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(256))).ToArray());
                    break;
                case 9 when data.Count >= 4:
                    // Overwrite a 16- or 32-bit field (lengths, offsets) with an extreme value, either byte order.
                    var pos = Math.Min(at, data.Count - 4);
                    uint[] extremes = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x8000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, (uint)random.Next()];
                    var value = extremes[random.Next(extremes.Length)];
                    var bytes = random.Next(2) == 0 ? BitConverter.GetBytes(value) : BitConverter.GetBytes(value).Reverse().ToArray();
                    var width = random.Next(2) == 0 ? 2 : 4;
                    for (var b = 0; b < width; b++)
                    {
                        data[pos + b] = bytes[b];
                    }

                    break;
                case 10:
                    // A byte order mark, right or wrong for the content.
                    byte[][] boms = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00]];
                    data.InsertRange(random.Next(4) == 0 ? at : 0, boms[random.Next(boms.Length)]);
                    break;
                case 11:
                    // Random Unicode text (UTF-8), surrogate halves included.
                    var text = new StringBuilder();
                    for (var c = 1 + random.Next(8); c > 0; c--)
                    {
                        text.Append((char)random.Next(0x20, 0xFFFF));
                    }

                    data.InsertRange(at, Encoding.UTF8.GetBytes(text.ToString()));
                    break;
            }

            if (data.Count > FuzzTargets.MaxInputBytes)
            {
                data.RemoveRange(FuzzTargets.MaxInputBytes, data.Count - FuzzTargets.MaxInputBytes);
            }
        }

        return [.. data];
    }

    private static byte[] Repeat(byte[] bytes, int times)
    {
        var result = new byte[Math.Min(bytes.Length * times, FuzzTargets.MaxInputBytes)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = bytes[i % bytes.Length];
        }

        return result;
    }
}
