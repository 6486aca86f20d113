using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// Parses a batch with Microsoft's own T-SQL parser (ScriptDom) for the simulated server's version, so a batch a real
/// server of that version would reject as a syntax error is rejected here too, with SQL Server's number, severity,
/// state, text and line (ScriptDom numbers its errors 46xxx; SQL Server's are 102, 105, 155, 156, 195). See
/// docs/sandbox-sql-parsing.md.
/// </summary>
internal sealed class SandboxSqlParser
{
    /// <summary>SQL Server's reserved keywords (learn.microsoft.com/sql/t-sql/language-elements/reserved-keywords-transact-sql):
    /// a syntax error at one of them is Msg 156 "near the keyword", at anything else Msg 102.</summary>
    private static readonly HashSet<string> ReservedKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ADD", "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "AUTHORIZATION", "BACKUP", "BEGIN", "BETWEEN", "BREAK", "BROWSE", "BULK", "BY",
        "CASCADE", "CASE", "CHECK", "CHECKPOINT", "CLOSE", "CLUSTERED", "COALESCE", "COLLATE", "COLUMN", "COMMIT", "COMPUTE", "CONSTRAINT",
        "CONTAINS", "CONTAINSTABLE", "CONTINUE", "CONVERT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
        "CURRENT_USER", "CURSOR", "DATABASE", "DBCC", "DEALLOCATE", "DECLARE", "DEFAULT", "DELETE", "DENY", "DESC", "DISK", "DISTINCT",
        "DISTRIBUTED", "DOUBLE", "DROP", "DUMP", "ELSE", "END", "ERRLVL", "ESCAPE", "EXCEPT", "EXEC", "EXECUTE", "EXISTS", "EXIT", "EXTERNAL",
        "FETCH", "FILE", "FILLFACTOR", "FOR", "FOREIGN", "FREETEXT", "FREETEXTTABLE", "FROM", "FULL", "FUNCTION", "GOTO", "GRANT", "GROUP",
        "HAVING", "HOLDLOCK", "IDENTITY", "IDENTITY_INSERT", "IDENTITYCOL", "IF", "IN", "INDEX", "INNER", "INSERT", "INTERSECT", "INTO", "IS",
        "JOIN", "KEY", "KILL", "LEFT", "LIKE", "LINENO", "LOAD", "MERGE", "NATIONAL", "NOCHECK", "NONCLUSTERED", "NOT", "NULL", "NULLIF", "OF",
        "OFF", "OFFSETS", "ON", "OPEN", "OPENDATASOURCE", "OPENQUERY", "OPENROWSET", "OPENXML", "OPTION", "OR", "ORDER", "OUTER", "OVER",
        "PERCENT", "PIVOT", "PLAN", "PRECISION", "PRIMARY", "PRINT", "PROC", "PROCEDURE", "PUBLIC", "RAISERROR", "READ", "READTEXT",
        "RECONFIGURE", "REFERENCES", "REPLICATION", "RESTORE", "RESTRICT", "RETURN", "REVERT", "REVOKE", "RIGHT", "ROLLBACK", "ROWCOUNT",
        "ROWGUIDCOL", "RULE", "SAVE", "SCHEMA", "SECURITYAUDIT", "SELECT", "SEMANTICKEYPHRASETABLE", "SEMANTICSIMILARITYDETAILSTABLE",
        "SEMANTICSIMILARITYTABLE", "SESSION_USER", "SET", "SETUSER", "SHUTDOWN", "SOME", "STATISTICS", "SYSTEM_USER", "TABLE", "TABLESAMPLE",
        "TEXTSIZE", "THEN", "TO", "TOP", "TRAN", "TRANSACTION", "TRIGGER", "TRUNCATE", "TRY_CONVERT", "TSEQUAL", "UNION", "UNIQUE", "UNPIVOT",
        "UPDATE", "UPDATETEXT", "USE", "USER", "VALUES", "VARYING", "VIEW", "WAITFOR", "WHEN", "WHERE", "WHILE", "WITH", "WRITETEXT",
    };

    private readonly int _major;

    public SandboxSqlParser(SandboxSqlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _major = Version.TryParse(profile.ProductVersion, out var version) ? version.Major : 16;
    }

    /// <summary>The parser for a SQL Server major version: 10 (2008/2008 R2) → TSql100Parser … 17 (2025) → TSql170Parser;
    /// older than orchprep's floor parses as 100, newer than 17 as the newest the package has (180). The template tests
    /// use the same mapping.</summary>
    public static TSqlParser ForMajorVersion(int major, bool quotedIdentifier) => major switch
    {
        <= 10 => new TSql100Parser(quotedIdentifier),
        11 => new TSql110Parser(quotedIdentifier),
        12 => new TSql120Parser(quotedIdentifier),
        13 => new TSql130Parser(quotedIdentifier),
        14 => new TSql140Parser(quotedIdentifier),
        15 => new TSql150Parser(quotedIdentifier),
        16 => new TSql160Parser(quotedIdentifier),
        17 => new TSql170Parser(quotedIdentifier),
        _ => new TSql180Parser(quotedIdentifier),
    };

    /// <summary>Parses <paramref name="text"/> as one batch; throws the error SQL Server's parser would raise.</summary>
    public TSqlBatch? Parse(string text, bool quotedIdentifier)
    {
        var parser = Create(quotedIdentifier);
        var fragment = parser.Parse(new StringReader(text), out var errors);
        if (errors.Count > 0)
        {
            var tokens = parser.GetTokenStream(new StringReader(text), out _);
            throw Translate(errors[0], text, tokens);
        }

        var script = (TSqlScript)fragment;
        if (script.Batches.Count > 1)
        {
            // GO separates batches in client tools; a server receiving it inside a batch reads it as a name.
            var go = script.ScriptTokenStream.First(t => t.TokenType == TSqlTokenType.Go);
            throw new SqlErrorException(102, 15, 1, $"Incorrect syntax near '{go.Text}'.", go.Line);
        }

        return script.Batches.Count == 0 ? null : script.Batches[0];
    }

    private TSqlParser Create(bool quotedIdentifier) => ForMajorVersion(_major, quotedIdentifier);

    /// <summary>ScriptDom's first error as SQL Server words it. Unknown error kinds fall back to "near" the token at the error.</summary>
    private static SqlErrorException Translate(ParseError error, string text, IList<TSqlParserToken> tokens)
    {
        var significant = tokens.Where(t => !IsTrivia(t)).ToList();
        var at = significant.LastOrDefault(t => t.Offset <= error.Offset && t.TokenType != TSqlTokenType.EndOfFile);
        switch (error.Number)
        {
            case 46030:
            case 46031:
                {
                    // An open string or [identifier]: SQL Server quotes what follows the opening mark, to the end of the batch.
                    var start = Math.Min(text.Length, error.Offset + (text.Length > error.Offset && text[error.Offset] is 'N' or 'n' ? 2 : 1));
                    return new SqlErrorException(105, 15, 1, $"Unclosed quotation mark after the character string '{text[start..]}'.", error.Line);
                }

            case 46029:
                // End of batch in the middle of a statement: SQL Server points at the batch's last token.
                return at is null ? new SqlErrorException(102, 15, 1, "Incorrect syntax near ';'.", error.Line) : Near(at);
            default:
                if (at is null)
                {
                    return new SqlErrorException(102, 15, 1, "Incorrect syntax near ';'.", error.Line);
                }

                return UnrecognizedOption(at, significant) ?? PositionalAfterNamed(at, significant) ?? Near(at);
        }
    }

    /// <summary>An unknown name in the WITH list of BACKUP or RESTORE: SQL Server's Msg 155, not a syntax error.</summary>
    private static SqlErrorException? UnrecognizedOption(TSqlParserToken at, List<TSqlParserToken> significant)
    {
        if (at.TokenType != TSqlTokenType.Identifier)
        {
            return null;
        }

        var index = significant.IndexOf(at);
        if (index < 1 || significant[index - 1].TokenType is not (TSqlTokenType.With or TSqlTokenType.Comma))
        {
            return null;
        }

        for (var i = index - 1; i >= 0; i--)
        {
            var token = significant[i];
            if (token.TokenType is TSqlTokenType.Semicolon)
            {
                return null;
            }

            if (token.TokenType is TSqlTokenType.Backup or TSqlTokenType.Restore)
            {
                var sawWith = significant.Skip(i).Take(index - i).Any(t => t.TokenType == TSqlTokenType.With);
                return sawWith ? new SqlErrorException(155, 15, 1, $"'{at.Text}' is not a recognized {token.Text.ToUpperInvariant()} option.", at.Line) : null;
            }
        }

        return null;
    }

    /// <summary>EXEC proc @a = 1, 2: SQL Server's parser refuses a positional argument after a named one with Msg 119.</summary>
    private static SqlErrorException? PositionalAfterNamed(TSqlParserToken at, List<TSqlParserToken> significant)
    {
        var index = significant.IndexOf(at);
        if (index < 1 || significant[index - 1].TokenType != TSqlTokenType.Comma)
        {
            return null;
        }

        var exec = significant.FindLastIndex(index, t => t.TokenType is TSqlTokenType.Exec or TSqlTokenType.Execute);
        if (exec < 0 || significant.Skip(exec).Take(index - exec).Any(t => t.TokenType == TSqlTokenType.Semicolon))
        {
            return null;
        }

        var arguments = significant.Skip(exec).Take(index - exec).ToList();
        var named = Enumerable.Range(0, arguments.Count - 1).Any(i => arguments[i].TokenType == TSqlTokenType.Variable && arguments[i + 1].TokenType == TSqlTokenType.EqualsSign);
        if (!named)
        {
            return null;
        }

        var number = arguments.Count(t => t.TokenType == TSqlTokenType.Comma) + 1;
        return new SqlErrorException(119, 15, 1, $"Must pass parameter number {number} and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.", at.Line);
    }

    private static SqlErrorException Near(TSqlParserToken token) =>
        ReservedKeywords.Contains(token.Text)
            ? new SqlErrorException(156, 15, 1, $"Incorrect syntax near the keyword '{token.Text}'.", token.Line)
            : new SqlErrorException(102, 15, 1, $"Incorrect syntax near '{token.Text}'.", token.Line);

    private static bool IsTrivia(TSqlParserToken token) =>
        token.TokenType is TSqlTokenType.WhiteSpace or TSqlTokenType.SingleLineComment or TSqlTokenType.MultilineComment or TSqlTokenType.EndOfFile;
}
