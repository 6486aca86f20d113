namespace OrchUpgradePrep.Config;

/// <summary>"Did you mean …?" for misspelt keys and enum values.</summary>
internal static class KeySuggestion
{
    /// <summary>The closest candidate when it is plausibly what was meant, otherwise null.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var lowered = typed.ToLowerInvariant();
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var score = Score(lowered, candidate.ToLowerInvariant());
            if (score < bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        // Allow about one typo per three characters typed, at least one.
        return bestScore <= Math.Max(1, typed.Length / 3) ? best : null;
    }

    // The smaller of the distance to the whole candidate and to one of its prefixes,
    // so a misspelt stem still finds its longer key: pasword → passwordEnv.
    private static int Score(string typed, string candidate)
    {
        var best = Distance(typed, candidate);
        for (var length = 1; length < candidate.Length; length++)
        {
            best = Math.Min(best, Distance(typed, candidate[..length]) + 1);
        }

        return best;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
