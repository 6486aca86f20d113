using System.Text;
using CsCheck;
using OrchUpgradePrep.Fuzz;

namespace OrchUpgradePrep.Tests.Fuzz;

/// <summary>One mutation of a seed document; positions are fractions so a shrunk case stays meaningful.</summary>
internal sealed record Mutation(int Kind, double At, byte[] Bytes, int Token, int Times);

/// <summary>
/// CsCheck generators of structured-but-hostile input (valid seeds from <see cref="SeedCorpus"/> with byte flips,
/// truncations, hostile tokens, repeated slices, BOMs, random Unicode) and the check every property makes: the
/// target ends in success or its documented error (<see cref="FuzzTargets"/>), within a time limit.
/// </summary>
internal static class HostileInput
{
    /// <summary>Per input; the slowest seen in the mutation loop is well under a second.</summary>
    public static readonly TimeSpan PerInputTimeout = TimeSpan.FromSeconds(10);

    public static Gen<Mutation> MutationGen { get; } = Gen.Select(
        Gen.Int[0, 8], Gen.Int[0, 1000], Gen.Byte.Array[0, 8], Gen.Int[0, HostileTokens.All.Count - 1], Gen.Int[1, 300],
        (kind, at, bytes, token, times) => new Mutation(kind, at / 1000.0, bytes, token, times));

    /// <summary>A seed of <paramref name="target"/>'s corpus with 0–6 mutations.</summary>
    public static Gen<byte[]> Mutated(string target) => Mutated(SeedCorpus.For(target).Select(s => s.Data).ToList());

    public static Gen<byte[]> Mutated(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], MutationGen.Array[0, 6], (i, mutations) => Apply(seeds[i], mutations));

    public static byte[] Apply(byte[] seed, IEnumerable<Mutation> mutations)
    {
        var data = new List<byte>(seed);
        foreach (var m in mutations)
        {
            var at = (int)(m.At * data.Count);
            switch (m.Kind)
            {
                case 0 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] ^= m.Bytes.Length > 0 ? m.Bytes[0] : (byte)0x80;
                    break;
                case 1:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 2:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(HostileTokens.All[m.Token]));
                    break;
                case 3:
                    // A token repeated: deep nesting, long lines, many aliases.
                    data.InsertRange(at, Enumerable.Repeat(Encoding.UTF8.GetBytes(HostileTokens.All[m.Token]), m.Times).SelectMany(b => b));
                    break;
                case 4:
                    data.InsertRange(at, m.Bytes);
                    break;
                case 5 when data.Count > 0:
                    var length = Math.Min(1 + (m.Times % 64), data.Count - Math.Min(at, data.Count - 1));
                    var slice = data.GetRange(Math.Min(at, data.Count - 1), length);
                    data.InsertRange(at, Enumerable.Repeat(slice, 1 + (m.Times % 20)).SelectMany(b => b));
                    break;
                case 6:
                    byte[][] boms = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00]];
                    data.InsertRange(0, boms[m.Times % boms.Length]);
                    break;
                case 7:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(string.Concat(m.Bytes.Select(b => (char)(0x80 + (b * 251))))));
                    break;
                case 8 when data.Count >= 4:
                    // A length or offset field lying: an extreme value over two or four bytes.
                    uint[] extremes = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF];
                    var value = BitConverter.GetBytes(extremes[m.Times % extremes.Length]);
                    var position = Math.Min(at, data.Count - 4);
                    for (var b = 0; b < (m.Token % 2 == 0 ? 2 : 4); b++)
                    {
                        data[position + b] = value[b];
                    }

                    break;
            }
        }

        return data.Count > FuzzTargets.MaxInputBytes ? [.. data.Take(FuzzTargets.MaxInputBytes)] : [.. data];
    }

    /// <summary>Runs the target under a timeout; any exception but the documented error (turned into a refusal by the target) fails.</summary>
    public static async Task<FuzzOutcome> RunAsync(string target, byte[] input, CancellationToken cancellationToken)
    {
        var run = FuzzTargets.All[target];
        // On the thread pool, so a parser stuck in a loop shows as a timeout instead of blocking the test.
        return await Task.Run(async () => await run(input, cancellationToken), cancellationToken).WaitAsync(PerInputTimeout, cancellationToken);
    }

    /// <summary>Shows a failing input so it can be pasted into a regression test (CsCheck prints the seed to replay it).</summary>
    public static string Show(byte[] input) =>
        $"{input.Length} bytes: {Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 2048)))}";
}
