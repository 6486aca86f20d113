using System.Globalization;
using System.Text;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// The SET statements drivers send after login (FreeTDS db-lib / pymssql, ct-lib / tsql, SqlClient, ODBC) and ones a
/// script may add: parsed for the whole batch first (a syntax error or an unknown option fails the batch before any
/// runs, as SQL Server compiles it), then recorded in the session. Unknown options get SQL Server's Msg 195; options the
/// sandbox would have to simulate to stay truthful (NOEXEC, FMTONLY, SHOWPLAN…, a non-default ROWCOUNT) are refused
/// rather than accepted and ignored. Values as in the SET statements reference (learn.microsoft.com t-sql/statements/set-statements-transact-sql).
/// </summary>
internal static class SandboxSetStatements
{
    /// <summary>ON | OFF options whose effect does not change what the sandbox answers.</summary>
    private static readonly HashSet<string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        "ANSI_DEFAULTS", "ANSI_NULL_DFLT_OFF", "ANSI_NULL_DFLT_ON", "ANSI_NULLS", "ANSI_PADDING", "ANSI_WARNINGS", "ARITHABORT",
        "ARITHIGNORE", "CONCAT_NULL_YIELDS_NULL", "CURSOR_CLOSE_ON_COMMIT", "FORCEPLAN", "IMPLICIT_TRANSACTIONS", "NOCOUNT",
        "NUMERIC_ROUNDABORT", "QUOTED_IDENTIFIER", "REMOTE_PROC_TRANSACTIONS", "XACT_ABORT", "NO_BROWSETABLE",
    };

    /// <summary>ON | OFF options that change what later statements return (nothing runs, only metadata, plans,
    /// statistics messages): recognised, but ON would need a simulation the sandbox does not have.</summary>
    private static readonly HashSet<string> UnsimulatedWhenOn = new(StringComparer.OrdinalIgnoreCase)
    {
        "FMTONLY", "NOEXEC", "PARSEONLY", "SHOWPLAN_ALL", "SHOWPLAN_TEXT", "SHOWPLAN_XML",
    };

    /// <summary>Real options the sandbox does not take at all (SQL Server would: so no 195 for them).</summary>
    private static readonly HashSet<string> Unsimulated = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONTEXT_INFO", "FIPS_FLAGGER", "IDENTITY_INSERT", "OFFSETS", "QUERY_GOVERNOR_COST_LIMIT", "RESULT_SET_CACHING",
    };

    private static readonly HashSet<string> DateFormats = new(StringComparer.OrdinalIgnoreCase) { "mdy", "dmy", "ymd", "ydm", "myd", "dym" };

    private static readonly string[][] IsolationLevels =
    [
        ["READ", "UNCOMMITTED"], ["READ", "COMMITTED"], ["REPEATABLE", "READ"], ["SNAPSHOT"], ["SERIALIZABLE"],
    ];

    /// <summary>Whether the batch's first statement is a SET (comments and white space skipped).</summary>
    public static bool StartsWithSet(string batch)
    {
        var tokens = Tokenize(batch, out _);
        return tokens.Count > 0 && tokens[0].Is("SET");
    }

    /// <summary>
    /// Parses the leading SET statements of <paramref name="batch"/>; throws the error SQL Server would raise for the
    /// batch. Returns the option values and the rest of the batch (the first statement that is not a SET, onwards).
    /// </summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Options, string Remainder) Parse(string batch)
    {
        var tokens = Tokenize(batch, out var unterminated);
        if (unterminated is not null)
        {
            throw new SqlErrorException(105, 15, 1, $"Unclosed quotation mark after the character string '{unterminated}'.");
        }

        var options = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < tokens.Count && tokens[i].Is("SET"))
        {
            i++;
            var option = Next(tokens, ref i, "SET");
            if (option.Text.StartsWith('@'))
            {
                // No DECLARE is simulated, so every variable is undeclared, as on a real server without one.
                throw new SqlErrorException(137, 15, 1, $"Must declare the scalar variable \"{option.Text}\".");
            }

            if (IsSwitch(option.Text) && i < tokens.Count && tokens[i].Text == ",")
            {
                options.AddRange(ParseSwitchList(option, tokens, ref i));
            }
            else
            {
                options.Add(ParseOption(option, tokens, ref i));
            }

            while (i < tokens.Count && tokens[i].Text == ";")
            {
                i++;
            }
        }

        var rest = i < tokens.Count ? batch[tokens[i].Start..].Trim() : string.Empty;
        return (options, rest);
    }

    private static bool IsSwitch(string name) => Switches.Contains(name) || UnsimulatedWhenOn.Contains(name);

    /// <summary>"SET A, B, C ON": several ON/OFF options share one value (SET statements reference; not the STATISTICS ones).</summary>
    private static List<KeyValuePair<string, string>> ParseSwitchList(Token first, List<Token> tokens, ref int i)
    {
        var names = new List<string> { first.Text };
        while (i < tokens.Count && tokens[i].Text == ",")
        {
            i++;
            var name = Next(tokens, ref i, ",");
            if (!IsSwitch(name.Text))
            {
                throw Known(name.Text) ? Syntax(name.Text) : UnknownOption(name.Text);
            }

            names.Add(name.Text);
        }

        var value = OnOff(tokens, ref i, names[^1]);
        if (value == "ON" && names.FirstOrDefault(UnsimulatedWhenOn.Contains) is { } unsimulated)
        {
            throw NotSimulated($"SET {unsimulated.ToUpperInvariant()} ON");
        }

        return [.. names.Select(n => new KeyValuePair<string, string>(n.ToUpperInvariant(), value))];
    }

    private static bool Known(string name) =>
        Unsimulated.Contains(name) || name.ToUpperInvariant() is "STATISTICS" or "TEXTSIZE" or "LOCK_TIMEOUT" or "DATEFIRST" or "ROWCOUNT"
            or "DATEFORMAT" or "LANGUAGE" or "DEADLOCK_PRIORITY" or "TRANSACTION";

    private static SqlErrorException UnknownOption(string name) => new(195, 15, 5, $"'{name}' is not a recognized SET option.");

    private static KeyValuePair<string, string> ParseOption(Token option, List<Token> tokens, ref int i)
    {
        var name = option.Text.ToUpperInvariant();
        if (Switches.Contains(name) || UnsimulatedWhenOn.Contains(name))
        {
            var value = OnOff(tokens, ref i, option.Text);
            if (value == "ON" && UnsimulatedWhenOn.Contains(name))
            {
                throw NotSimulated($"SET {name} ON");
            }

            return new(name, value);
        }

        switch (name)
        {
            case "STATISTICS":
                var kind = Next(tokens, ref i, option.Text);
                if (!kind.IsAny("IO", "TIME", "PROFILE", "XML"))
                {
                    throw Syntax(kind.Text);
                }

                var statistics = OnOff(tokens, ref i, kind.Text);
                return statistics == "ON" ? throw NotSimulated($"SET STATISTICS {kind.Text.ToUpperInvariant()} ON") : new($"STATISTICS {kind.Text.ToUpperInvariant()}", statistics);
            case "TEXTSIZE":
                return new(name, Integer(tokens, ref i, option.Text, 0, int.MaxValue).ToString(CultureInfo.InvariantCulture));
            case "LOCK_TIMEOUT":
                return new(name, Integer(tokens, ref i, option.Text, -1, int.MaxValue).ToString(CultureInfo.InvariantCulture));
            case "DATEFIRST":
                return new(name, Integer(tokens, ref i, option.Text, 1, 7).ToString(CultureInfo.InvariantCulture));
            case "ROWCOUNT":
                // A row limit would change every answer; 0 (no limit) is the default and harmless.
                return Integer(tokens, ref i, option.Text, 0, int.MaxValue) == 0 ? new(name, "0") : throw NotSimulated("a non-zero SET ROWCOUNT");
            case "DATEFORMAT":
                var format = Next(tokens, ref i, option.Text);
                var dateFormat = Unquote(format.Text);
                return DateFormats.Contains(dateFormat) ? new(name, dateFormat.ToLowerInvariant()) : throw Syntax(format.Text);
            case "LANGUAGE":
                var language = Unquote(Next(tokens, ref i, option.Text).Text);
                // The sandbox speaks only the login language's messages (us_english; "English" is its alias).
                return language.Equals("us_english", StringComparison.OrdinalIgnoreCase) || language.Equals("English", StringComparison.OrdinalIgnoreCase)
                    ? new(name, "us_english")
                    : throw NotSimulated($"SET LANGUAGE {language}");
            case "DEADLOCK_PRIORITY":
                var priority = Next(tokens, ref i, option.Text);
                if (priority.IsAny("LOW", "NORMAL", "HIGH"))
                {
                    return new(name, priority.Text.ToUpperInvariant());
                }

                i--;
                return new(name, Integer(tokens, ref i, option.Text, -10, 10).ToString(CultureInfo.InvariantCulture));
            case "TRANSACTION":
                Expect(tokens, ref i, "ISOLATION");
                Expect(tokens, ref i, "LEVEL");
                var at = i;
                foreach (var level in IsolationLevels)
                {
                    if (level.Select((word, k) => at + k < tokens.Count && tokens[at + k].Is(word)).All(matched => matched))
                    {
                        i += level.Length;
                        return new("TRANSACTION ISOLATION LEVEL", string.Join(' ', level));
                    }
                }

                throw Syntax(i < tokens.Count ? tokens[i].Text : "LEVEL");
            default:
                if (Unsimulated.Contains(name))
                {
                    throw NotSimulated($"SET {name}");
                }

                throw UnknownOption(option.Text);
        }
    }

    private static string OnOff(List<Token> tokens, ref int i, string after)
    {
        var value = Next(tokens, ref i, after);
        return value.IsAny("ON", "OFF") ? value.Text.ToUpperInvariant() : throw Syntax(value.Text);
    }

    private static int Integer(List<Token> tokens, ref int i, string after, int min, int max)
    {
        var token = Next(tokens, ref i, after);
        var text = token.Text;
        if (text == "-" && i < tokens.Count)
        {
            text = "-" + tokens[i++].Text;
        }

        if (text.StartsWith('@'))
        {
            throw new SqlErrorException(137, 15, 2, $"Must declare the scalar variable \"{text}\".");
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Syntax(token.Text);
        }

        // Out of range: SQL Server refuses the value (messages differ per option; 102 is the sandbox's conservative answer).
        return value < min || value > max ? throw Syntax(token.Text) : (int)value;
    }

    private static void Expect(List<Token> tokens, ref int i, string word)
    {
        var token = Next(tokens, ref i, word);
        if (!token.Is(word))
        {
            throw Syntax(token.Text);
        }
    }

    private static Token Next(List<Token> tokens, ref int i, string after)
    {
        if (i >= tokens.Count || tokens[i].Text == ";")
        {
            // SQL Server names the last word it read when the statement ends too early.
            throw Syntax(after);
        }

        return tokens[i++];
    }

    private static string Unquote(string token) =>
        token.StartsWith('\'') || token.StartsWith("N'", StringComparison.OrdinalIgnoreCase) ? SandboxSqlEngine.SqlLiteral(token) : token;

    private static SqlErrorException Syntax(string near) => new(102, 15, 1, $"Incorrect syntax near '{near}'.");

    private static SqlErrorException NotSimulated(string what) =>
        new(50000, 16, 1, $"sandbox: {what} is valid T-SQL but not simulated; the sandbox refuses it rather than ignore it.");

    /// <summary>Words, numbers, @variables, quoted literals, bracketed names and single punctuation; comments dropped.</summary>
    private static List<Token> Tokenize(string text, out string? unterminated)
    {
        unterminated = null;
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                var end = text.IndexOf('\n', i);
                i = end < 0 ? text.Length : end + 1;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c == '\'' || ((c is 'N' or 'n') && i + 1 < text.Length && text[i + 1] == '\''))
            {
                var start = i;
                i += c == '\'' ? 1 : 2;
                var literal = new StringBuilder();
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        literal.Append('\'');
                        i += 2;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        closed = true;
                        break;
                    }
                    else
                    {
                        literal.Append(text[i++]);
                    }
                }

                if (!closed)
                {
                    unterminated = literal.ToString();
                    return tokens;
                }

                tokens.Add(new Token(text[start..i], start));
            }
            else if (c == '[')
            {
                var start = i;
                var end = text.IndexOf(']', i + 1);
                i = end < 0 ? text.Length : end + 1;
                tokens.Add(new Token(text[start..i], start));
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '@' or '#')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '@' or '#' or '$'))
                {
                    i++;
                }

                tokens.Add(new Token(text[start..i], start));
            }
            else
            {
                tokens.Add(new Token(c.ToString(), i));
                i++;
            }
        }

        return tokens;
    }

    private readonly record struct Token(string Text, int Start)
    {
        public bool Is(string word) => Text.Equals(word, StringComparison.OrdinalIgnoreCase);

        public bool IsAny(params string[] words) => words.Any(Is);
    }
}
