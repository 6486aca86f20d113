using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrchUpgradePrep.Secrets;

/// <summary>
/// The one place that knows the run's secrets. Every sink (console, report files, pipeline commands,
/// GITHUB_OUTPUT, step summary) passes its text through <see cref="Mask(string?)"/>. A secret is registered with
/// the forms it takes after encoding (base64, URL, JSON, XML), because a reporter may encode a value
/// before it reaches the sink. Values orchprep produces as data (the paths it writes, its own name) are registered
/// with <see cref="AddData"/>: a secret found inside one of them is left alone there, masked everywhere else
/// (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What replaces every registered form.</summary>
    public const string Replacement = "***";

    /// <summary>A secret shorter than this hides ordinary text wherever it is masked; it is still masked, and warned about.</summary>
    public const int ShortSecretLength = 4;

    private readonly Lock _gate = new();
    private readonly List<string> _secrets = [];
    private readonly HashSet<string> _forms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _data = new(StringComparer.Ordinal);

    // Longest first, rebuilt on Add; Mask reads this snapshot without taking the lock.
    private volatile string[] _ordered = [];
    private volatile string[] _dataValues = [];

    /// <summary>The raw values as registered (deduplicated), e.g. to register them with the pipeline.</summary>
    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_gate)
            {
                return _secrets.ToArray();
            }
        }
    }

    /// <summary>Registers a secret and its encoded forms; each line of a multi-line secret is also registered alone. Null or empty is ignored.</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        lock (_gate)
        {
            if (!_secrets.Contains(secret, StringComparer.Ordinal))
            {
                _secrets.Add(secret);
            }

            AddForms(secret);
            foreach (var line in SplitLines(secret))
            {
                AddForms(line);
            }

            _ordered = _forms
                .OrderByDescending(f => f.Length)
                .ThenBy(f => f, StringComparer.Ordinal)
                .ToArray();
        }
    }

    /// <summary>Registers a value orchprep produced as data (a path it chose or writes, its own name): a secret inside an
    /// occurrence of it is not masked there, so the path still names its file. Null or empty is ignored.</summary>
    public void AddData(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            if (_data.Add(value))
            {
                _dataValues = _data.ToArray();
            }
        }
    }

    /// <summary>Replaces every registered form in <paramref name="text"/> with <c>***</c>, longest form first, except
    /// where the form lies wholly inside an occurrence of a data value.</summary>
    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var forms = _ordered;
        if (forms.Length == 0)
        {
            return text;
        }

        var kept = DataSpans(text, _dataValues);
        // Longest form first; a shorter form that overlaps a masked one is already hidden by it.
        var masked = new List<(int Start, int End)>();
        var covered = new bool[text.Length];
        foreach (var form in forms)
        {
            for (var at = text.IndexOf(form, StringComparison.Ordinal); at >= 0; at = text.IndexOf(form, at + 1, StringComparison.Ordinal))
            {
                var end = at + form.Length;
                if (!kept.Exists(s => at >= s.Start && end <= s.End) && !covered.AsSpan(at, form.Length).Contains(true))
                {
                    masked.Add((at, end));
                    covered.AsSpan(at, form.Length).Fill(true);
                }
            }
        }

        if (masked.Count == 0)
        {
            return text;
        }

        masked.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new StringBuilder(text.Length);
        var next = 0;
        foreach (var (start, end) in masked)
        {
            result.Append(text, next, start - next).Append(Replacement);
            next = end;
        }

        return result.Append(text, next, text.Length - next).ToString();
    }

    /// <summary>The lines of a multi-line value (CRLF, LF or CR), without empty or blank ones.</summary>
    public static IReadOnlyList<string> SplitLines(string value) =>
        value.Split(["\r\n", "\n", "\r"], StringSplitOptions.None)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .ToArray();

    private static List<(int Start, int End)> DataSpans(string text, string[] dataValues)
    {
        var spans = new List<(int, int)>();
        foreach (var value in dataValues)
        {
            for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            {
                spans.Add((at, at + value.Length));
            }
        }

        return spans;
    }

    private void AddForms(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        string[] forms =
        [
            value,
            base64,
            base64.TrimEnd('='),
            Uri.EscapeDataString(value),
            JsonEncodedText.Encode(value).ToString(),
            JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            // XmlWriter escapes & < > in text and also " in attributes; SecurityElement.Escape also escapes '.
            XmlEscape(value, quote: false, apostrophe: false),
            XmlEscape(value, quote: true, apostrophe: false),
            XmlEscape(value, quote: true, apostrophe: true),
        ];

        foreach (var form in forms)
        {
            if (form.Length > 0)
            {
                _forms.Add(form);
            }
        }
    }

    private static string XmlEscape(string value, bool quote, bool apostrophe)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when quote => "&quot;",
                '\'' when apostrophe => "&apos;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
