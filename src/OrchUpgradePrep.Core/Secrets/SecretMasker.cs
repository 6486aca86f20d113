using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrchUpgradePrep.Secrets;

/// <summary>
/// The one place that knows the run's secrets. Every sink (console, report files, pipeline commands,
/// GITHUB_OUTPUT, step summary) passes its text through <see cref="Mask(string?)"/>. A secret is registered with
/// the forms it takes after encoding (base64, URL, JSON, XML), because a reporter may encode a value
/// before it reaches the sink.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What replaces every registered form.</summary>
    public const string Replacement = "***";

    private readonly Lock _gate = new();
    private readonly List<string> _secrets = [];
    private readonly HashSet<string> _forms = new(StringComparer.Ordinal);

    // Longest first, rebuilt on Add; Mask reads this snapshot without taking the lock.
    private volatile string[] _ordered = [];

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

    /// <summary>Replaces every registered form in <paramref name="text"/> with <c>***</c>, longest form first.</summary>
    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var result = text;
        foreach (var form in _ordered)
        {
            result = result.Replace(form, Replacement, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>The lines of a multi-line value (CRLF, LF or CR), without empty or blank ones.</summary>
    public static IReadOnlyList<string> SplitLines(string value) =>
        value.Split(["\r\n", "\n", "\r"], StringSplitOptions.None)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .ToArray();

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
