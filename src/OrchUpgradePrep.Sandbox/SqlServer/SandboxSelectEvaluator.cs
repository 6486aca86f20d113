using System.Globalization;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>A value with the SQL type its result column gets.</summary>
internal readonly record struct SandboxValue(object? Value, TdsColumnType Type);

/// <summary>
/// Runs a bound SELECT that has no FROM or reads one catalogued table: the select list (columns, aliases, *,
/// literals, integer arithmetic, CAST/CONVERT, SERVERPROPERTY, FILEPROPERTY, permission functions, @@VERSION …),
/// WHERE (=, &lt;&gt;, &lt;, &gt;, IN, AND/OR/NOT, IS [NOT] NULL), ORDER BY columns or aliases, TOP (n). The result
/// set holds exactly the selected columns. Anything else (joins, grouping, DISTINCT, functions it does not know)
/// is refused as not simulated, never answered approximately.
/// </summary>
internal sealed class SandboxSelectEvaluator(SandboxSqlEngine engine, SandboxCatalog catalog, SqlRequest request)
{
    /// <summary>Built-in functions SQL Server has that the sandbox does not evaluate (refused as not simulated; any
    /// other unknown name is SQL Server's Msg 195).</summary>
    private static readonly HashSet<string> UnsimulatedBuiltIns = new(StringComparer.OrdinalIgnoreCase)
    {
        "ABS", "APP_NAME", "AVG", "CEILING", "CHARINDEX", "CHECKSUM", "CHOOSE", "CONCAT", "COUNT", "COUNT_BIG", "DATABASEPROPERTYEX", "DATEADD",
        "DATEDIFF", "DATENAME", "DATEPART", "DAY", "DB_ID", "FLOOR", "FORMAT", "GETDATE", "GETUTCDATE", "HOST_NAME", "IIF", "ISNULL", "LEFT",
        "LEN", "LOWER", "LTRIM", "MAX", "MIN", "MONTH", "NEWID", "OBJECT_ID", "OBJECT_NAME", "ORIGINAL_LOGIN", "PARSENAME", "QUOTENAME",
        "REPLACE", "RIGHT", "ROUND", "ROW_NUMBER", "RTRIM", "SCHEMA_NAME", "SESSIONPROPERTY", "STRING_AGG", "STUFF", "SUBSTRING", "SUM",
        "SUSER_NAME", "SUSER_SNAME", "SYSDATETIME", "SYSUTCDATETIME", "UPPER", "USER_NAME", "YEAR",
    };

    private SandboxSqlProfile Profile => engine.Profile;

    public async Task AnswerAsync(QuerySpecification specification, IReadOnlyList<SandboxBoundTable> tables, ITdsResponse response, CancellationToken cancellationToken)
    {
        if (specification.UniqueRowFilter == UniqueRowFilter.Distinct || specification.GroupByClause is not null || specification.HavingClause is not null
            || specification.OffsetClause is not null || specification.ForClause is not null)
        {
            throw SandboxSqlEngine.NotSimulated("a SELECT with DISTINCT, GROUP BY, HAVING, OFFSET or FOR");
        }

        if (tables.Count > 1)
        {
            throw SandboxSqlEngine.NotSimulated("a SELECT over more than one table");
        }

        var table = tables.Count == 1 ? tables[0] : null;
        IEnumerable<object?[]> source = [[]];
        if (table is not null)
        {
            source = catalog.Rows(table.Object, table.Database, request.Session.Login) ?? throw SandboxSqlEngine.NotSimulated($"a SELECT from {table.Object.DisplayName} other than orchprep's own");
        }

        var rows = source.Select(values => new Row(table?.Object, values));
        if (specification.WhereClause?.SearchCondition is { } where)
        {
            rows = rows.Where(row => Test(where, row) == true);
        }

        var items = SelectItems(specification, table).ToList();
        var materialised = rows.ToList();
        if (specification.OrderByClause is { } orderBy)
        {
            materialised = Order(materialised, orderBy, items);
        }

        if (specification.TopRowFilter is { } top)
        {
            if (top.Percent || top.WithTies)
            {
                throw SandboxSqlEngine.NotSimulated("TOP … PERCENT or WITH TIES");
            }

            var count = System.Convert.ToInt64(Evaluate(top.Expression, Row.Empty).Value, CultureInfo.InvariantCulture);
            materialised = [.. materialised.Take((int)Math.Clamp(count, 0, int.MaxValue))];
        }

        var output = materialised.Select(row => items.Select(item => item.Value(row)).ToArray()).ToList();
        var nullRow = new Row(table?.Object, table is null ? [] : new object?[table.Object.Columns.Count]);
        var columns = items.Select((item, i) => new TdsColumn(item.Name, output.Count > 0 ? output[0][i].Type : item.Value(nullRow).Type)).ToList();
        await response.SendResultSetAsync(columns, output.Select(r => (IReadOnlyList<object?>)r.Select(v => v.Value).ToArray()), cancellationToken);
    }

    private sealed record Item(string Name, Func<Row, SandboxValue> Value);

    /// <summary>One row of the table being read (columns in catalogue order); <see cref="Empty"/> for a SELECT without FROM.</summary>
    private sealed record Row(SandboxCatalogObject? Table, object?[] Values)
    {
        public static Row Empty { get; } = new(null, []);

        public SandboxValue Get(string column)
        {
            var index = Table?.Columns.ToList().FindIndex(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase)) ?? -1;
            return index < 0 ? throw new SqlErrorException(207, 16, 1, $"Invalid column name '{column}'.") : new(Values[index], Table!.Columns[index].Type);
        }
    }

    private IEnumerable<Item> SelectItems(QuerySpecification specification, SandboxBoundTable? table)
    {
        foreach (var element in specification.SelectElements)
        {
            switch (element)
            {
                case SelectStarExpression when table is null:
                    throw new SqlErrorException(263, 16, 1, "Must specify table to select from.");
                case SelectStarExpression:
                    foreach (var column in table!.Object.Columns)
                    {
                        var name = column.Name;
                        yield return new Item(name, row => row.Get(name));
                    }

                    break;
                case SelectScalarExpression scalar:
                    {
                        var name = scalar.ColumnName?.Value
                            ?? (scalar.Expression is ColumnReferenceExpression { MultiPartIdentifier: { } id } && table?.Object.Column(id.Identifiers[^1].Value) is { } column ? column.Name : string.Empty);
                        var expression = scalar.Expression;
                        yield return new Item(name, row => Evaluate(expression, row));
                        break;
                    }

                default:
                    throw SandboxSqlEngine.NotSimulated($"a {element.GetType().Name} in a select list");
            }
        }
    }

    private List<Row> Order(List<Row> rows, OrderByClause orderBy, List<Item> items)
    {
        IOrderedEnumerable<Row>? ordered = null;
        foreach (var element in orderBy.OrderByElements)
        {
            Func<Row, object?> key = element.Expression is ColumnReferenceExpression { MultiPartIdentifier.Identifiers: [{ } only] }
                && items.FirstOrDefault(i => string.Equals(i.Name, only.Value, StringComparison.OrdinalIgnoreCase)) is { } item
                ? row => item.Value(row).Value
                : row => Evaluate(element.Expression, row).Value;
            var descending = element.SortOrder == SortOrder.Descending;
            ordered = ordered is null
                ? descending ? rows.OrderByDescending(key, SqlComparer.Instance) : rows.OrderBy(key, SqlComparer.Instance)
                : descending ? ordered.ThenByDescending(key, SqlComparer.Instance) : ordered.ThenBy(key, SqlComparer.Instance);
        }

        return ordered?.ToList() ?? rows;
    }

    /// <summary>Three-valued: null is UNKNOWN (a comparison with NULL), which WHERE treats as false.</summary>
    private bool? Test(BooleanExpression condition, Row row)
    {
        switch (condition)
        {
            case BooleanParenthesisExpression parenthesis:
                return Test(parenthesis.Expression, row);
            case BooleanNotExpression not:
                return !Test(not.Expression, row);
            case BooleanBinaryExpression binary:
                {
                    var left = Test(binary.FirstExpression, row);
                    var right = Test(binary.SecondExpression, row);
                    return binary.BinaryExpressionType == BooleanBinaryExpressionType.And
                        ? left == false || right == false ? false : left == true && right == true ? true : null
                        : left == true || right == true ? true : left == false && right == false ? false : null;
                }

            case BooleanIsNullExpression isNull:
                return (Evaluate(isNull.Expression, row).Value is null) != isNull.IsNot;
            case BooleanComparisonExpression comparison:
                {
                    var order = Compare(Evaluate(comparison.FirstExpression, row).Value, Evaluate(comparison.SecondExpression, row).Value);
                    return order is not { } o ? null : comparison.ComparisonType switch
                    {
                        BooleanComparisonType.Equals => o == 0,
                        BooleanComparisonType.NotEqualToBrackets or BooleanComparisonType.NotEqualToExclamation => o != 0,
                        BooleanComparisonType.GreaterThan => o > 0,
                        BooleanComparisonType.LessThan => o < 0,
                        BooleanComparisonType.GreaterThanOrEqualTo => o >= 0,
                        BooleanComparisonType.LessThanOrEqualTo => o <= 0,
                        _ => throw SandboxSqlEngine.NotSimulated($"the comparison {comparison.ComparisonType}"),
                    };
                }

            case InPredicate { Subquery: null } inList:
                {
                    var value = Evaluate(inList.Expression, row).Value;
                    var results = inList.Values.Select(v => Compare(value, Evaluate(v, row).Value)).ToList();
                    bool? found = results.Any(r => r == 0) ? true : results.Any(r => r is null) ? null : false;
                    return inList.NotDefined ? !found : found;
                }

            default:
                throw SandboxSqlEngine.NotSimulated($"a {condition.GetType().Name} condition");
        }
    }

    private SandboxValue Evaluate(ScalarExpression expression, Row row)
    {
        switch (expression)
        {
            case IntegerLiteral integer:
                return int.TryParse(integer.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var small)
                    ? new(small, TdsColumnType.Int)
                    : long.TryParse(integer.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var big) ? new(big, TdsColumnType.BigInt)
                    : throw SandboxSqlEngine.NotSimulated("an integer literal beyond bigint");
            case StringLiteral text:
                return new(text.Value, text.IsNational ? TdsColumnType.NVarChar(Math.Clamp(text.Value.Length, 1, 4000)) : TdsColumnType.VarChar(Math.Clamp(text.Value.Length, 1, 8000)));
            case NullLiteral:
                return new(null, TdsColumnType.Int);
            case ParenthesisExpression parenthesis:
                return Evaluate(parenthesis.Expression, row);
            case ColumnReferenceExpression { ColumnType: ColumnType.Regular, MultiPartIdentifier: { } id }:
                return row.Get(id.Identifiers[^1].Value);
            case VariableReference variable:
                return request.Parameters.TryGetValue(variable.Name, out var value)
                    ? new(value, TypeOf(value))
                    : throw new SqlErrorException(137, 15, 2, $"Must declare the scalar variable \"{variable.Name}\".");
            case UnaryExpression { UnaryExpressionType: UnaryExpressionType.Negative } negative:
                return Arithmetic(BinaryExpressionType.Subtract, new(0, TdsColumnType.Int), Evaluate(negative.Expression, row));
            case UnaryExpression { UnaryExpressionType: UnaryExpressionType.Positive } positive:
                return Evaluate(positive.Expression, row);
            case BinaryExpression binary:
                return Arithmetic(binary.BinaryExpressionType, Evaluate(binary.FirstExpression, row), Evaluate(binary.SecondExpression, row));
            case CastCall cast:
                return CastTo(Evaluate(cast.Parameter, row), cast.DataType);
            case ConvertCall convert when convert.Style is null:
                return CastTo(Evaluate(convert.Parameter, row), convert.DataType);
            case GlobalVariableExpression global:
                return global.Name.ToUpperInvariant() switch
                {
                    "@@VERSION" => new(VersionText(), TdsColumnType.NVarChar(300)),
                    "@@SERVERNAME" => new(Profile.ServerName, TdsColumnType.NVarChar(128)),
                    "@@SPID" => new(System.Convert.ToInt32(51 + request.Session.ConnectionId, CultureInfo.InvariantCulture), TdsColumnType.Int),
                    _ => throw SandboxSqlEngine.NotSimulated(global.Name),
                };
            case FunctionCall call:
                return Call(call, row);
            default:
                throw SandboxSqlEngine.NotSimulated($"the expression {expression.GetType().Name}");
        }
    }

    private SandboxValue Call(FunctionCall call, Row row)
    {
        if (call.CallTarget is not null || call.OverClause is not null)
        {
            throw SandboxSqlEngine.NotSimulated($"the function call {call.FunctionName.Value}");
        }

        var name = call.FunctionName.Value.ToUpperInvariant();
        var args = call.Parameters.Select(p => Evaluate(p, row).Value).ToList();
        string? Text(int i) => i < args.Count ? args[i] as string : null;
        switch (name)
        {
            case "SERVERPROPERTY":
                {
                    object? property = Text(0)?.ToUpperInvariant() switch
                    {
                        "PRODUCTVERSION" => Profile.ProductVersion,
                        "PRODUCTLEVEL" => Profile.ProductLevel,
                        "PRODUCTUPDATELEVEL" => Profile.ProductUpdateLevel,
                        "EDITION" => Profile.Edition,
                        "ENGINEEDITION" => Profile.EngineEdition,
                        "COLLATION" => Profile.Collation,
                        "SERVERNAME" => Profile.ServerName,
                        "MACHINENAME" => Profile.MachineName,
                        "ISCLUSTERED" => 0,
                        "ISHADRENABLED" => 0,
                        "INSTANCEDEFAULTBACKUPPATH" => engine.BackupDirectory,
                        "INSTANCEDEFAULTDATAPATH" => engine.DataDirectory,
                        "INSTANCEDEFAULTLOGPATH" => engine.DataDirectory,
                        _ => null,
                    };
                    return new(property, property is int ? TdsColumnType.Int : TdsColumnType.NVarChar(4000));
                }

            case "FILEPROPERTY":
                {
                    // Pages: SpaceUsed of a file of the current database; NULL for any other file or property, as SQL Server returns.
                    var file = engine.Database(request.Session.Database)?.Files.FirstOrDefault(f => string.Equals(f.LogicalName, Text(0), StringComparison.OrdinalIgnoreCase));
                    return new(file is not null && string.Equals(Text(1), "SpaceUsed", StringComparison.OrdinalIgnoreCase) ? (int)(file.UsedBytes / 8192) : null, TdsColumnType.Int);
                }

            case "DB_NAME" when args.Count == 0:
                return new(request.Session.Database, TdsColumnType.NVarChar(128));
            case "IS_SRVROLEMEMBER" or "HAS_PERMS_BY_NAME":
                // Answered from the logins, users, roles and grants of SandboxPermissions.
                return new(engine.Permissions.Evaluate(name, args.Select(a => a?.ToString()).ToList(), request), TdsColumnType.Int);
            case "SUSER_SNAME" when args.Count == 0:
                return new(request.Session.Login, TdsColumnType.NVarChar(128));

            default:
                throw UnsimulatedBuiltIns.Contains(name) || name is "DB_NAME"
                    ? SandboxSqlEngine.NotSimulated($"the function {call.FunctionName.Value}")
                    : new SqlErrorException(195, 15, 10, $"'{call.FunctionName.Value}' is not a recognized built-in function name.");
        }
    }

    private static SandboxValue Arithmetic(BinaryExpressionType operation, SandboxValue left, SandboxValue right)
    {
        if (left.Value is string || right.Value is string)
        {
            return operation == BinaryExpressionType.Add && left.Value is string or null && right.Value is string or null
                ? new(left.Value is null || right.Value is null ? null : (string)left.Value + (string)right.Value, TdsColumnType.NVarChar(4000))
                : throw SandboxSqlEngine.NotSimulated("arithmetic on strings");
        }

        var isBig = left.Type.Kind == TdsTypeKind.BigInt || right.Type.Kind == TdsTypeKind.BigInt;
        var type = isBig ? TdsColumnType.BigInt : TdsColumnType.Int;
        if (left.Value is null || right.Value is null)
        {
            return new(null, type);
        }

        var a = System.Convert.ToInt64(left.Value, CultureInfo.InvariantCulture);
        var b = System.Convert.ToInt64(right.Value, CultureInfo.InvariantCulture);
        if (operation is BinaryExpressionType.Divide or BinaryExpressionType.Modulo && b == 0)
        {
            throw new SqlErrorException(8134, 16, 1, "Divide by zero error encountered.");
        }

        try
        {
            var result = operation switch
            {
                BinaryExpressionType.Add => checked(a + b),
                BinaryExpressionType.Subtract => checked(a - b),
                BinaryExpressionType.Multiply => checked(a * b),
                BinaryExpressionType.Divide => a / b,
                BinaryExpressionType.Modulo => a % b,
                _ => throw SandboxSqlEngine.NotSimulated($"the operator {operation}"),
            };
            return isBig ? new(result, type) : new(checked((int)result), type);
        }
        catch (OverflowException)
        {
            throw new SqlErrorException(8115, 16, 2, $"Arithmetic overflow error converting expression to data type {(isBig ? "bigint" : "int")}.");
        }
    }

    private static SandboxValue CastTo(SandboxValue value, DataTypeReference type)
    {
        if (type is not SqlDataTypeReference sql)
        {
            throw SandboxSqlEngine.NotSimulated($"CAST to {type.Name.BaseIdentifier.Value}");
        }

        var length = sql.Parameters.Count > 0 && int.TryParse(sql.Parameters[0].Value, CultureInfo.InvariantCulture, out var n) ? n : 30;
        try
        {
            return sql.SqlDataTypeOption switch
            {
                SqlDataTypeOption.Int => new(value.Value is null ? null : System.Convert.ToInt32(value.Value, CultureInfo.InvariantCulture), TdsColumnType.Int),
                SqlDataTypeOption.BigInt => new(value.Value is null ? null : System.Convert.ToInt64(value.Value, CultureInfo.InvariantCulture), TdsColumnType.BigInt),
                SqlDataTypeOption.Bit => new(value.Value is null ? null : System.Convert.ToInt64(value.Value, CultureInfo.InvariantCulture) != 0, TdsColumnType.Bit),
                SqlDataTypeOption.NVarChar => new(Truncate(value.Value, length), TdsColumnType.NVarChar(Math.Clamp(length, 1, 4000))),
                SqlDataTypeOption.VarChar => new(Truncate(value.Value, length), TdsColumnType.VarChar(Math.Clamp(length, 1, 8000))),
                _ => throw SandboxSqlEngine.NotSimulated($"CAST to {sql.SqlDataTypeOption}"),
            };
        }
        catch (FormatException)
        {
            throw new SqlErrorException(245, 16, 1, $"Conversion failed when converting the nvarchar value '{value.Value}' to data type {sql.SqlDataTypeOption.ToString().ToLowerInvariant()}.");
        }
        catch (OverflowException)
        {
            throw new SqlErrorException(8115, 16, 2, $"Arithmetic overflow error converting expression to data type {sql.SqlDataTypeOption.ToString().ToLowerInvariant()}.");
        }
    }

    private static string? Truncate(object? value, int length)
    {
        var text = value switch
        {
            null => null,
            bool b => b ? "1" : "0",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return text is null || text.Length <= length ? text : text[..length];
    }

    /// <summary>SQL Server's order of two values: numbers as numbers, strings case-insensitively without trailing
    /// blanks (the sandbox's collations are CI), a string against a number converted to the number (245 if it is not one).</summary>
    private static int? Compare(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        if (a is string x && b is string y)
        {
            return string.Compare(x.TrimEnd(' '), y.TrimEnd(' '), StringComparison.OrdinalIgnoreCase);
        }

        if (IsNumber(a) || IsNumber(b))
        {
            return Number(a).CompareTo(Number(b));
        }

        if (a is DateTime d1 && b is DateTime d2)
        {
            return d1.CompareTo(d2);
        }

        if (a is Guid g1 && b is Guid g2)
        {
            return g1.CompareTo(g2);
        }

        throw SandboxSqlEngine.NotSimulated($"comparing {a.GetType().Name} with {b.GetType().Name}");
    }

    private static bool IsNumber(object value) => value is int or long or short or byte or decimal or bool;

    private static decimal Number(object value) => value switch
    {
        bool b => b ? 1 : 0,
        string s => decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new SqlErrorException(245, 16, 1, $"Conversion failed when converting the nvarchar value '{s}' to data type int."),
        _ => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    private static TdsColumnType TypeOf(object? value) => value switch
    {
        int => TdsColumnType.Int,
        long => TdsColumnType.BigInt,
        bool => TdsColumnType.Bit,
        Guid => TdsColumnType.UniqueIdentifier,
        DateTime => TdsColumnType.DateTime,
        _ => TdsColumnType.NVarChar(4000),
    };

    private string VersionText()
    {
        var major = Version.Parse(Profile.ProductVersion).Major;
        var year = major switch { 10 => "2008 R2", 11 => "2012", 12 => "2014", 13 => "2016", 14 => "2017", 15 => "2019", 16 => "2022", 17 => "2025", _ => "vNext" };
        return $"Microsoft SQL Server {year} ({Profile.ProductLevel}-{Profile.ProductUpdateLevel}) - {Profile.ProductVersion} (X64) \n\tOct 1 2024 00:00:00 \n\tCopyright (C) {year} Microsoft Corporation\n\t{Profile.Edition} on Windows Server 2022 Standard 10.0 <X64> (Build 20348: ) (Hypervisor)\n";
    }

    /// <summary>Orders values as SQL Server sorts them: NULL first, then by <see cref="Compare"/>.</summary>
    private sealed class SqlComparer : IComparer<object?>
    {
        public static SqlComparer Instance { get; } = new();

        public int Compare(object? x, object? y) =>
            x is null ? (y is null ? 0 : -1) : y is null ? 1 : SandboxSelectEvaluator.Compare(x, y) ?? 0;
    }
}
