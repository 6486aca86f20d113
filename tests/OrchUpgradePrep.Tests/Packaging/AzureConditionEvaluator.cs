using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>What an Azure Pipelines condition sees when it is evaluated (a stage, a job or a step condition).</summary>
/// <param name="RunCanceled">The run was cancelled before this condition was evaluated.</param>
/// <param name="Dependencies">The direct dependencies' results (Succeeded, SucceededWithIssues, Failed, Canceled, Skipped), by stage or job name.</param>
/// <param name="StageOutputs">Output variables of jobs in earlier stages: key "Stage.Job", then "step.variable" → value.</param>
/// <param name="JobStatus">For a step condition only: the job's status so far (Agent.JobStatus); null for stage and job conditions.</param>
internal sealed record AzureConditionContext(
    bool RunCanceled,
    IReadOnlyDictionary<string, string> Dependencies,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? StageOutputs = null,
    string? JobStatus = null);

/// <summary>
/// The subset of Azure Pipelines condition expressions the examples use, with the documented semantics; anything else
/// throws <see cref="NotSupportedException"/>, so an example cannot lean on a construct no test models.
/// Sources: https://learn.microsoft.com/azure/devops/pipelines/process/expressions (functions, job status check
/// functions, dependencies) and https://learn.microsoft.com/azure/devops/pipelines/process/conditions.
/// </summary>
internal static class AzureConditionEvaluator
{
    // "By default, a stage, job or step runs if ... all its dependencies completed and succeeded" = condition: succeeded().
    public const string DefaultCondition = "succeeded()";

    public static bool Evaluate(string? condition, AzureConditionContext context)
    {
        var parser = new Parser(string.IsNullOrWhiteSpace(condition) ? DefaultCondition : condition, context);
        var value = parser.ParseExpression();
        parser.ExpectEnd();
        return value is bool b ? b : throw new NotSupportedException($"condition '{condition}' is not a boolean");
    }

    /// <summary>A runtime expression's value, as in a variable's <c>$[ ... ]</c>.</summary>
    public static object? EvaluateValue(string expression, AzureConditionContext context)
    {
        var parser = new Parser(expression, context);
        var value = parser.ParseExpression();
        parser.ExpectEnd();
        return value;
    }

    private sealed class Parser(string text, AzureConditionContext context) : ConditionScanner(text, "Azure")
    {
        public object? ParseExpression()
        {
            SkipSpace();
            if (Position < Text.Length && Text[Position] == '\'')
            {
                return ReadString();
            }

            var name = ReadIdentifier();
            SkipSpace();
            if (Position < Text.Length && Text[Position] == '(')
            {
                return Call(name);
            }

            return name switch
            {
                "dependencies" or "stageDependencies" => Property(name),
                // Literals of the expression language: only the booleans are modelled.
                "true" or "True" => true,
                "false" or "False" => false,
                _ => throw Refuse($"'{name}' (variables and other contexts are not modelled)"),
            };
        }

        private object? Call(string name)
        {
            Position++; // (
            // Every argument is evaluated: nothing has side effects, so short-circuiting changes no result, and a
            // construct that is not modelled is refused wherever it stands.
            var args = new List<object?>();
            SkipSpace();
            if (Position < Text.Length && Text[Position] != ')')
            {
                while (true)
                {
                    args.Add(ParseExpression());
                    SkipSpace();
                    if (Position < Text.Length && Text[Position] == ',')
                    {
                        Position++;
                        continue;
                    }

                    break;
                }
            }

            Expect(')');
            return name switch
            {
                // "always: Always evaluates to True (even when canceled)."
                "always" when args.Count == 0 => true,
                // "canceled: Evaluates to True if the pipeline was canceled."
                "canceled" when args.Count == 0 => context.RunCanceled,
                "succeeded" when args.Count == 0 => Succeeded(),
                "failed" when args.Count == 0 => Failed(),
                // "and: Evaluates to True if all parameters are True. Min parameters: 2."
                "and" when args.Count >= 2 => args.All(Bool),
                // "or: Evaluates to True if any parameter is True. Min parameters: 2."
                "or" when args.Count >= 2 => args.Any(Bool),
                "not" when args.Count == 1 => !Bool(args[0]),
                // "eq/ne: ... Ordinal ignore-case comparison for Strings."
                "eq" when args.Count == 2 => AreEqual(args[0], args[1]),
                "ne" when args.Count == 2 => !AreEqual(args[0], args[1]),
                _ => throw Refuse($"{name}() with {args.Count} argument(s)"),
            };
        }

        // Stage/job: "With no arguments, evaluates to True only if all previous dependencies succeeded or partially
        // succeeded" and "Evaluates to False if the pipeline is canceled". Step: in(Agent.JobStatus, 'Succeeded', 'SucceededWithIssues').
        private bool Succeeded() => context.JobStatus is { } job
            ? !context.RunCanceled && job is "Succeeded" or "SucceededWithIssues"
            : !context.RunCanceled && context.Dependencies.Values.All(r => r is "Succeeded" or "SucceededWithIssues");

        // Stage/job: "With no arguments, evaluates to True if any previous dependency failed." Step: eq(Agent.JobStatus, 'Failed').
        private bool Failed() => context.JobStatus is { } job ? job == "Failed" : context.Dependencies.Values.Any(r => r == "Failed");

        // dependencies.<name>.result, dependencies.<stage>.outputs['<job>.<step>.<var>'],
        // stageDependencies.<stage>.<job>.result | .outputs['<step>.<var>'].
        private object? Property(string root)
        {
            var path = new List<string> { root };
            while (Position < Text.Length && (Text[Position] == '.' || Text[Position] == '['))
            {
                if (Text[Position] == '.')
                {
                    Position++;
                    path.Add(ReadIdentifier());
                }
                else
                {
                    Position++;
                    SkipSpace();
                    path.Add(ReadString());
                    SkipSpace();
                    Expect(']');
                }
            }

            return path switch
            {
                ["dependencies", var name, "result"] => context.Dependencies.TryGetValue(name, out var result)
                    ? result
                    : throw Refuse($"dependencies.{name}: not a dependency here"),
                ["stageDependencies", var stage, var job, "outputs", var variable] =>
                    context.StageOutputs is not null && context.StageOutputs.TryGetValue($"{stage}.{job}", out var outputs)
                        ? outputs.GetValueOrDefault(variable)
                        : throw Refuse($"stageDependencies.{stage}.{job}: no such earlier job"),
                _ => throw Refuse(string.Join('.', path)),
            };
        }

        // Type casting: a null (an output never set) is an empty string when compared with a string.
        private static bool AreEqual(object? left, object? right) => (left, right) switch
        {
            (bool a, bool b) => a == b,
            (string or null, string or null) => string.Equals((string?)left ?? "", (string?)right ?? "", StringComparison.OrdinalIgnoreCase),
            _ => throw new NotSupportedException($"comparing {left} with {right} (mixed types are not modelled)"),
        };

        private bool Bool(object? value) => value is bool b ? b : throw Refuse($"'{value}' used as a boolean (casting is not modelled)");

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = Position;
            while (Position < Text.Length && (char.IsLetterOrDigit(Text[Position]) || Text[Position] is '_' or '-'))
            {
                Position++;
            }

            return Position > start ? Text[start..Position] : throw Refuse($"expected a name at {Position}");
        }
    }
}
