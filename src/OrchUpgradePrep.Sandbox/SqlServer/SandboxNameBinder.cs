using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>A table (or table-valued function) a FROM clause names, bound to the catalog.</summary>
internal sealed record SandboxBoundTable(string? Alias, SchemaObjectName Name, SandboxCatalogObject Object, string Database);

/// <summary>
/// Binds every name in a SELECT as SQL Server does before it runs anything: each table must exist where the session
/// is (208), each column must belong to a table in scope (207), a qualifier must name a table or alias in scope
/// (4104), an unqualified column in two tables is ambiguous (209), a variable must be declared (137). Subqueries see
/// the tables of the queries around them. Returns the tables of the outermost query.
/// </summary>
internal sealed class SandboxNameBinder(SandboxCatalog catalog, string sessionDatabase, IReadOnlyDictionary<string, object?> parameters)
{
    public IReadOnlyList<SandboxBoundTable> Bind(SelectStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.WithCtesAndXmlNamespaces is not null)
        {
            throw SandboxSqlEngine.NotSimulated("a common table expression (WITH)");
        }

        if (statement.Into is not null)
        {
            throw SandboxSqlEngine.NotSimulated("SELECT … INTO");
        }

        return BindQuery(statement.QueryExpression, []);
    }

    private IReadOnlyList<SandboxBoundTable> BindQuery(QueryExpression query, IReadOnlyList<IReadOnlyList<SandboxBoundTable>> outer)
    {
        switch (query)
        {
            case QuerySpecification specification:
                return BindSpecification(specification, outer);
            case QueryParenthesisExpression parenthesis:
                return BindQuery(parenthesis.QueryExpression, outer);
            case BinaryQueryExpression binary:
                BindQuery(binary.FirstQueryExpression, outer);
                BindQuery(binary.SecondQueryExpression, outer);
                return [];
            default:
                throw SandboxSqlEngine.NotSimulated(query.GetType().Name);
        }
    }

    private IReadOnlyList<SandboxBoundTable> BindSpecification(QuerySpecification specification, IReadOnlyList<IReadOnlyList<SandboxBoundTable>> outer)
    {
        var tables = new List<SandboxBoundTable>();
        foreach (var reference in specification.FromClause?.TableReferences ?? [])
        {
            AddTables(reference, tables);
        }

        IReadOnlyList<IReadOnlyList<SandboxBoundTable>> scopes = [tables, .. outer];
        var names = new NameCollector();
        foreach (var part in new TSqlFragment?[] { specification.FromClause, specification.WhereClause, specification.GroupByClause, specification.HavingClause, specification.TopRowFilter })
        {
            part?.Accept(names);
        }

        foreach (var element in specification.SelectElements)
        {
            element.Accept(names);
        }

        foreach (var column in names.Columns)
        {
            BindColumn(column, scopes);
        }

        if (specification.OrderByClause is { } orderBy)
        {
            var aliases = specification.SelectElements.OfType<SelectScalarExpression>().Select(e => e.ColumnName?.Value).OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var ordered = new NameCollector();
            orderBy.Accept(ordered);
            foreach (var column in ordered.Columns)
            {
                if (column.MultiPartIdentifier?.Identifiers is [{ } only] && aliases.Contains(only.Value))
                {
                    continue;
                }

                BindColumn(column, scopes);
            }

            names.Variables.AddRange(ordered.Variables);
            names.Nested.AddRange(ordered.Nested);
        }

        foreach (var variable in names.Variables)
        {
            if (!parameters.ContainsKey(variable.Name))
            {
                throw new SqlErrorException(137, 15, 2, $"Must declare the scalar variable \"{variable.Name}\".");
            }
        }

        foreach (var nested in names.Nested)
        {
            BindQuery(nested, scopes);
        }

        return tables;
    }

    private void AddTables(TableReference reference, List<SandboxBoundTable> tables)
    {
        switch (reference)
        {
            case NamedTableReference named:
                {
                    var (found, database) = catalog.Resolve(named.SchemaObject, sessionDatabase);
                    if (found.IsFunction)
                    {
                        // A table-valued function named without its arguments: SQL Server's 216.
                        throw new SqlErrorException(216, 16, 1, $"Parameters were not supplied for the function '{named.SchemaObject.BaseIdentifier.Value}'.");
                    }

                    tables.Add(new SandboxBoundTable(named.Alias?.Value, named.SchemaObject, found, database));
                    return;
                }

            case SchemaObjectFunctionTableReference function:
                {
                    var (found, database) = catalog.Resolve(function.SchemaObject, sessionDatabase);
                    if (!found.IsFunction)
                    {
                        throw new SqlErrorException(215, 16, 1, $"Parameters supplied for object '{string.Join('.', function.SchemaObject.Identifiers.Select(i => i.Value))}' which is not a function. If the parameters are intended as a table hint, a WITH keyword is required.");
                    }

                    tables.Add(new SandboxBoundTable(function.Alias?.Value, function.SchemaObject, found, database));
                    return;
                }

            case QualifiedJoin join:
                AddTables(join.FirstTableReference, tables);
                AddTables(join.SecondTableReference, tables);
                return;
            case UnqualifiedJoin join:
                AddTables(join.FirstTableReference, tables);
                AddTables(join.SecondTableReference, tables);
                return;
            case JoinParenthesisTableReference parenthesis:
                AddTables(parenthesis.Join, tables);
                return;
            default:
                throw SandboxSqlEngine.NotSimulated($"a {reference.GetType().Name} in FROM");
        }
    }

    private static void BindColumn(ColumnReferenceExpression column, IReadOnlyList<IReadOnlyList<SandboxBoundTable>> scopes)
    {
        if (column.ColumnType != ColumnType.Regular || column.MultiPartIdentifier is null)
        {
            return;
        }

        var parts = column.MultiPartIdentifier.Identifiers.Select(i => i.Value).ToList();
        var name = parts[^1];
        if (parts.Count == 1)
        {
            foreach (var scope in scopes)
            {
                var owners = scope.Where(t => t.Object.Column(name) is not null).ToList();
                if (owners.Count > 1)
                {
                    throw new SqlErrorException(209, 16, 1, $"Ambiguous column name '{name}'.");
                }

                if (owners.Count == 1)
                {
                    return;
                }
            }

            throw new SqlErrorException(207, 16, 1, $"Invalid column name '{name}'.");
        }

        var qualifier = parts[..^1];
        var table = scopes.SelectMany(s => s).FirstOrDefault(t => Qualifies(t, qualifier))
            ?? throw new SqlErrorException(4104, 16, 1, $"The multi-part identifier \"{string.Join('.', parts)}\" could not be bound.");
        if (table.Object.Column(name) is null)
        {
            throw new SqlErrorException(207, 16, 1, $"Invalid column name '{name}'.");
        }
    }

    /// <summary>Whether "qualifier.column" names this table: by its alias when it has one (then only so), else by the
    /// trailing parts of the name it was written with.</summary>
    private static bool Qualifies(SandboxBoundTable table, List<string> qualifier)
    {
        if (table.Alias is not null)
        {
            return qualifier.Count == 1 && string.Equals(qualifier[0], table.Alias, StringComparison.OrdinalIgnoreCase);
        }

        var written = table.Name.Identifiers.Select(i => i.Value).ToList();
        return qualifier.Count <= written.Count
            && qualifier.Zip(written.Skip(written.Count - qualifier.Count)).All(p => string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Collects the column references and variables of one query level; nested queries are collected to be bound in their own scope.</summary>
    private sealed class NameCollector : TSqlFragmentVisitor
    {
        public List<ColumnReferenceExpression> Columns { get; } = [];
        public List<VariableReference> Variables { get; } = [];
        public List<QueryExpression> Nested { get; } = [];

        public override void ExplicitVisit(QuerySpecification node) => Nested.Add(node);

        public override void Visit(ColumnReferenceExpression node) => Columns.Add(node);

        public override void Visit(VariableReference node) => Variables.Add(node);
    }
}
