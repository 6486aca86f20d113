using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>A job that a GitHub Actions job `needs`: its result (success, failure, cancelled, skipped) and outputs.</summary>
internal sealed record GitHubNeed(string Result, IReadOnlyDictionary<string, string>? Outputs = null);

/// <summary>
/// The subset of GitHub Actions job `if:` expressions the examples use, with the documented semantics; anything else
/// throws <see cref="NotSupportedException"/>, so an example cannot lean on a construct no test models.
/// Source: https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions
/// (literals, operators, status check functions) and https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/accessing-contextual-information-about-workflow-runs#needs-context.
/// </summary>
internal static class GitHubConditionEvaluator
{
    private static readonly string[] StatusFunctions = ["success(", "failure(", "cancelled(", "always("];

    /// <param name="condition">The job's `if:`; null or empty is the default.</param>
    /// <param name="runCancelled">The workflow run was cancelled before the job's `if:` was evaluated.</param>
    /// <param name="needs">The jobs this job needs (the called workflow's jobs have no further ancestors).</param>
    /// <param name="previousStepFailed">For a step's `if:` only: whether an earlier step of its job failed; null for a job's `if:`.</param>
    public static bool Evaluate(string? condition, bool runCancelled, IReadOnlyDictionary<string, GitHubNeed> needs, bool? previousStepFailed = null)
    {
        var text = (condition ?? "").Trim();
        if (text.StartsWith("${{", StringComparison.Ordinal))
        {
            // "you can omit the ${{ }} expression syntax" in if:, or wrap the whole condition in it.
            text = text.EndsWith("}}", StringComparison.Ordinal) && text.IndexOf("${{", 3, StringComparison.Ordinal) < 0
                ? text[3..^2].Trim()
                : throw new NotSupportedException($"GitHub condition not modelled: '{condition}' mixes text and expressions");
        }

        // "A default status check of success() is applied unless you include one of these functions."
        if (text.Length == 0)
        {
            text = "success()";
        }
        else if (!StatusFunctions.Any(f => text.Contains(f, StringComparison.Ordinal)))
        {
            text = $"success() && ({text})";
        }

        var parser = new Parser(text, runCancelled, needs, previousStepFailed);
        var value = parser.ParseOr();
        parser.ExpectEnd();
        return Truthy(value);
    }

    // Falsy: false, 0, -0, "", null. Truthy: everything else (true, non-empty strings, other numbers).
    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        double d => d != 0,
        _ => throw new NotSupportedException($"value {value}"),
    };

    private sealed class Parser(string text, bool runCancelled, IReadOnlyDictionary<string, GitHubNeed> needs, bool? previousStepFailed) : ConditionScanner(text, "GitHub")
    {
        // Precedence, lowest first: ||, &&, == !=, !. && and || return one of their operands, as documented.
        public object? ParseOr()
        {
            var left = ParseAnd();
            while (TryRead("||"))
            {
                var right = ParseAnd();
                left = Truthy(left) ? left : right;
            }

            return left;
        }

        private object? ParseAnd()
        {
            var left = ParseEquality();
            while (TryRead("&&"))
            {
                var right = ParseEquality();
                left = Truthy(left) ? right : left;
            }

            return left;
        }

        private object? ParseEquality()
        {
            var left = ParseUnary();
            while (true)
            {
                if (TryRead("=="))
                {
                    left = LooseEquals(left, ParseUnary());
                }
                else if (TryRead("!="))
                {
                    left = !LooseEquals(left, ParseUnary());
                }
                else
                {
                    return left;
                }
            }
        }

        private object? ParseUnary()
        {
            SkipSpace();
            if (Position < Text.Length && Text[Position] == '!' && (Position + 1 >= Text.Length || Text[Position + 1] != '='))
            {
                Position++;
                return !Truthy(ParseUnary());
            }

            return ParsePrimary();
        }

        private object? ParsePrimary()
        {
            SkipSpace();
            if (Position >= Text.Length)
            {
                throw Refuse("unexpected end");
            }

            if (Text[Position] == '(')
            {
                Position++;
                var inner = ParseOr();
                Expect(')');
                return inner;
            }

            if (Text[Position] == '\'')
            {
                return ReadString();
            }

            var name = ReadIdentifier();
            SkipSpace();
            if (Position < Text.Length && Text[Position] == '(')
            {
                Position++;
                Expect(')');
                return name switch
                {
                    // "Causes the step to always execute, and returns true, even when canceled."
                    "always" => true,
                    // "Returns true if the workflow was canceled."
                    "cancelled" => runCancelled,
                    // Steps: "Returns true when all previous steps have succeeded"; jobs: when every job it needs
                    // succeeded. Either way false once the run is cancelled (the cancellation reference re-evaluates
                    // if: and a plain success() job or step is cancelled).
                    "success" => !runCancelled && (previousStepFailed is { } failed ? !failed : needs.Values.All(n => n.Result == "success")),
                    // "Returns true when any previous step of a job fails. If you have a chain of dependent jobs,
                    // failure() returns true if any ancestor job fails."
                    "failure" => previousStepFailed ?? needs.Values.Any(n => n.Result == "failure"),
                    _ => throw Refuse($"{name}()"),
                };
            }

            return name switch
            {
                "true" => true,
                "false" => false,
                "null" => null,
                "needs" => Needs(),
                _ => throw Refuse($"'{name}' (other contexts and functions are not modelled)"),
            };
        }

        // needs.<job>.result ("success, failure, cancelled, or skipped") and needs.<job>.outputs.<name>.
        private object? Needs()
        {
            var path = new List<string> { "needs" };
            while (Position < Text.Length && Text[Position] == '.')
            {
                Position++;
                path.Add(ReadIdentifier());
            }

            if (Position < Text.Length && Text[Position] == '[')
            {
                throw Refuse("index syntax");
            }

            return path switch
            {
                ["needs", var job, "result"] => Need(job).Result,
                // An output the job never set reads as an empty string.
                ["needs", var job, "outputs", var output] => Need(job).Outputs?.GetValueOrDefault(output) ?? "",
                _ => throw Refuse(string.Join('.', path)),
            };
        }

        private GitHubNeed Need(string job) => needs.TryGetValue(job, out var need) ? need : throw Refuse($"needs.{job}: not in this job's needs");

        // "GitHub ignores case when comparing strings"; other mixes are coerced to numbers, which is not modelled.
        private bool LooseEquals(object? left, object? right) => (left, right) switch
        {
            (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
            (bool a, bool b) => a == b,
            (null, null) => true,
            _ => throw Refuse($"comparing {left ?? "null"} with {right ?? "null"} (type coercion is not modelled)"),
        };

        private bool TryRead(string op)
        {
            SkipSpace();
            if (string.CompareOrdinal(Text, Position, op, 0, op.Length) == 0)
            {
                Position += op.Length;
                return true;
            }

            return false;
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = Position;
            while (Position < Text.Length && (char.IsLetterOrDigit(Text[Position]) || Text[Position] is '_' or '-'))
            {
                Position++;
            }

            return Position > start ? Text[start..Position] : throw Refuse($"unexpected '{Text[Position]}' at {Position}");
        }
    }
}
