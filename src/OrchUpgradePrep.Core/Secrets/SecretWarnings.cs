namespace OrchUpgradePrep.Secrets;

/// <summary>A word the output uses (the tool's name, the environment's name, a host name) that a secret could collide with.</summary>
/// <param name="What">How the warning names it, e.g. "the environment's name" (never the word itself: it may be the secret).</param>
/// <param name="IsData">True when orchprep keeps the word as data (<see cref="SecretMasker.AddData"/>): a secret inside it is not masked there.</param>
public sealed record OutputWord(string What, string Word, bool IsData);

/// <summary>
/// Secrets that masking cannot serve well, said on stderr by the variable's name, never its value: one shorter than
/// <see cref="SecretMasker.ShortSecretLength"/> (still masked, so it hides ordinary text), and one that is or is part of
/// a word the output uses (masking that word shows a reader where the secret is, and hides the word).
/// </summary>
public static class SecretWarnings
{
    public static IReadOnlyList<string> For(IEnumerable<SecretVariable> secrets, IEnumerable<OutputWord> words)
    {
        var wordList = words.Where(w => w.Word.Length > 0).ToList();
        var warnings = new List<string>();
        foreach (var group in secrets.Where(s => s.Value.Length > 0).GroupBy(s => s.Name, StringComparer.Ordinal))
        {
            var secret = group.First();
            if (secret.Value.Length < SecretMasker.ShortSecretLength)
            {
                warnings.Add(
                    $"orchprep: warning: {secret.Name} holds a secret of fewer than {SecretMasker.ShortSecretLength} characters. " +
                    "It is still masked (and registered with the pipeline), so those characters read *** " +
                    "wherever they occur in messages: use a longer secret.");
            }

            // Masking is ordinal, so only an ordinal match collides; one warning per kind of word is enough.
            foreach (var word in wordList
                .Where(w => w.Word.Contains(secret.Value, StringComparison.Ordinal))
                .DistinctBy(w => w.What, StringComparer.Ordinal))
            {
                var relation = string.Equals(word.Word, secret.Value, StringComparison.Ordinal) ? "equals" : "is part of";
                warnings.Add(word.IsData
                    ? $"orchprep: warning: the value of {secret.Name} {relation} {word.What}, which orchprep prints as its own and " +
                      "does not mask there: use a secret the output does not contain."
                    : $"orchprep: warning: the value of {secret.Name} {relation} {word.What}. It is masked there too, so that " +
                      "word reads *** in messages and reports, which also shows a reader where the secret is: use a secret the output does not contain.");
            }
        }

        return warnings;
    }
}
