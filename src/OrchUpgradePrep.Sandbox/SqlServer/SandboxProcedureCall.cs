using System.Globalization;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>One parameter of a catalogued procedure.</summary>
internal sealed record SandboxProcedureParameter(string Name, Type ClrType);

/// <summary>
/// A procedure the sandbox knows. <paramref name="Confirmed"/> false: its parameter names come from no public source
/// (docs/orchestrator-database.md), so callers must pass arguments by position; a named call with other names would
/// fail on a real server with 8145, and the sandbox answers it the same way so the guess can never hide there.
/// </summary>
internal sealed record SandboxProcedure(string Schema, string Name, IReadOnlyList<SandboxProcedureParameter> Parameters, bool Confirmed);

/// <summary>An EXEC statement's procedure name (schema and name, brackets removed) and its arguments, bound to a
/// procedure's parameters by SQL Server's rules: positional first, then @name = value; values from literals or from
/// the request's declared parameters (sp_executesql).</summary>
internal sealed partial record SandboxProcedureCall(string? Database, string? Schema, string Name, IReadOnlyList<SandboxProcedureCall.Argument> Arguments)
{
    internal sealed record Argument(string? ParameterName, string Expression);

    /// <summary>The name as SQL Server's 2812 prints it: the parts as written, without brackets.</summary>
    public string DisplayName => string.Join('.', new[] { Database, Schema, Name }.Where(p => p is not null));

    /// <summary>Parses "EXEC[UTE] name [args]"; null when the text is not an EXEC of a procedure name.</summary>
    public static SandboxProcedureCall? TryParse(string text)
    {
        var match = ExecPattern().Match(text.Trim().TrimEnd(';').Trim());
        if (!match.Success)
        {
            return null;
        }

        var parts = match.Groups["part"].Captures.Select(c => SandboxSqlEngine.Identifier(c.Value)).ToArray();
        var arguments = match.Groups["arg"].Captures
            .Select(c => ArgumentPattern().Match(c.Value.Trim()))
            .Select(m => new Argument(m.Groups["name"].Success ? m.Groups["name"].Value : null, m.Groups["value"].Value.Trim()))
            .ToList();
        return parts.Length switch
        {
            1 => new SandboxProcedureCall(null, null, parts[0], arguments),
            2 => new SandboxProcedureCall(null, parts[0], parts[1], arguments),
            _ => new SandboxProcedureCall(parts[^3], parts[^2], parts[^1], arguments),
        };
    }

    public bool Names(SandboxProcedure procedure, string currentDatabase) =>
        string.Equals(Name, procedure.Name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Schema ?? "dbo", procedure.Schema, StringComparison.OrdinalIgnoreCase)
        && (Database is null || string.Equals(Database, currentDatabase, StringComparison.OrdinalIgnoreCase));

    /// <summary>Binds the arguments to <paramref name="procedure"/>'s parameters, or throws the error SQL Server raises.</summary>
    public IReadOnlyDictionary<string, object?> Bind(SandboxProcedure procedure, IReadOnlyDictionary<string, object?> declared)
    {
        var bound = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var named = false;
        for (var i = 0; i < Arguments.Count; i++)
        {
            var argument = Arguments[i];
            SandboxProcedureParameter parameter;
            if (argument.ParameterName is null)
            {
                if (named)
                {
                    throw new SqlErrorException(119, 15, 1, $"Must pass parameter number {i + 1} and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.");
                }

                parameter = i < procedure.Parameters.Count
                    ? procedure.Parameters[i]
                    : throw new SqlErrorException(8144, 16, 2, $"Procedure or function {procedure.Name} has too many arguments specified.");
            }
            else
            {
                named = true;
                parameter = procedure.Parameters.FirstOrDefault(p => string.Equals(p.Name, argument.ParameterName, StringComparison.OrdinalIgnoreCase))
                    ?? throw new SqlErrorException(8145, 16, 2, $"{argument.ParameterName} is not a parameter for procedure {procedure.Name}.");
            }

            bound[parameter.Name] = Convert(Value(argument.Expression, declared), parameter);
        }

        foreach (var parameter in procedure.Parameters.Where(p => !bound.ContainsKey(p.Name)))
        {
            throw new SqlErrorException(201, 16, 4, $"Procedure or function '{procedure.Name}' expects parameter '{parameter.Name}', which was not supplied.");
        }

        return bound;
    }

    private static object? Value(string expression, IReadOnlyDictionary<string, object?> declared)
    {
        if (expression.StartsWith('@'))
        {
            return declared.TryGetValue(expression, out var value)
                ? value
                : throw new SqlErrorException(137, 15, 2, $"Must declare the scalar variable \"{expression}\".");
        }

        if (expression.Equals("NULL", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (expression.StartsWith('\'') || expression.StartsWith("N'", StringComparison.OrdinalIgnoreCase))
        {
            return SandboxSqlEngine.SqlLiteral(expression);
        }

        return long.TryParse(expression, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new SqlErrorException(102, 15, 1, $"Incorrect syntax near '{expression}'.");
    }

    private static object? Convert(object? value, SandboxProcedureParameter parameter)
    {
        if (value is null || parameter.ClrType.IsInstanceOfType(value))
        {
            return value;
        }

        if (parameter.ClrType == typeof(Guid) && value is string text)
        {
            return Guid.TryParse(text, out var id)
                ? id
                : throw new SqlErrorException(8114, 16, 5, "Error converting data type nvarchar to uniqueidentifier.");
        }

        if (parameter.ClrType == typeof(string))
        {
            return System.Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        throw new SqlErrorException(206, 16, 2, $"Operand type clash: {value.GetType().Name} is incompatible with {parameter.ClrType.Name}");
    }

    // Name: one to three parts, each [bracketed] or a plain word; arguments: comma-separated "@name = value" or "value"
    // (a value is a literal, a number, NULL or an @variable; commas inside quotes allowed). Atomic groups and a timeout
    // keep a hostile batch from backtracking for long.
    [GeneratedRegex(@"^EXEC(?:UTE)?\s+(?<part>\[(?:[^\]]|\]\])+\]|[\w#$]+)(?:\s*\.\s*(?<part>\[(?:[^\]]|\]\])+\]|[\w#$]+)){0,2}(?:\s+(?<arg>(?>'(?:[^']|'')*'|[^,'])+)(?:\s*,\s*(?<arg>(?>'(?:[^']|'')*'|[^,'])+))*)?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex ExecPattern();

    [GeneratedRegex(@"^(?:(?<name>@\w+)\s*=\s*)?(?<value>.+)$", RegexOptions.Singleline)]
    private static partial Regex ArgumentPattern();
}
