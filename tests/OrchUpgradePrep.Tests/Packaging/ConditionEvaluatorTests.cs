using Xunit;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>The two small evaluators behind ExampleFailurePathTests: documented semantics, and a refusal for anything else.</summary>
public sealed class ConditionEvaluatorTests
{
    private static AzureConditionContext Azure(bool canceled, params (string Name, string Result)[] dependencies) =>
        new(canceled, dependencies.ToDictionary(d => d.Name, d => d.Result));

    [Theory]
    [InlineData("succeeded()", false, "Succeeded", true)]
    [InlineData("succeeded()", false, "SucceededWithIssues", true)]
    [InlineData("succeeded()", true, "Succeeded", false)]
    [InlineData("succeeded()", false, "Failed", false)]
    [InlineData("failed()", false, "Failed", true)]
    [InlineData("failed()", false, "Canceled", false)]
    [InlineData("canceled()", true, "Canceled", true)]
    [InlineData("always()", true, "Canceled", true)]
    [InlineData(null, false, "Succeeded", true)]
    [InlineData(null, true, "Succeeded", false)]
    [InlineData("and(always(), ne(dependencies.A.result, 'succeeded'))", false, "Succeeded", false)]
    [InlineData("or(eq(dependencies.A.result, 'Failed'), not(true))", false, "Failed", true)]
    [InlineData("eq('it''s', 'IT''S')", false, "Succeeded", true)]
    public void Azure_FollowsTheDocumentedSemantics(string? condition, bool canceled, string a, bool expected) =>
        Assert.Equal(expected, AzureConditionEvaluator.Evaluate(condition, Azure(canceled, ("A", a))));

    [Fact]
    public void Azure_ReadsAnOutputOfAnEarlierStagesJob_AndAMissingOneIsEmpty()
    {
        var outputs = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["S.J"] = new Dictionary<string, string> { ["step.v"] = "met" } };
        var context = new AzureConditionContext(false, new Dictionary<string, string>(), outputs);

        Assert.True(AzureConditionEvaluator.Evaluate("eq(stageDependencies.S.J.outputs['step.v'], 'met')", context));
        Assert.True(AzureConditionEvaluator.Evaluate("eq(stageDependencies.S.J.outputs['step.other'], '')", context));
    }

    [Theory]
    [InlineData("succeededOrFailed()")]
    [InlineData("succeeded('A')")]
    [InlineData("in(dependencies.A.result, 'Failed')")]
    [InlineData("eq(variables['Agent.JobStatus'], 'Failed')")]
    [InlineData("eq(dependencies.B.result, 'Failed')")]
    [InlineData("dependencies.A.outputs['x.y']")]
    [InlineData("and(always())")]
    [InlineData("eq(1, 1)")]
    [InlineData("always() garbage")]
    public void Azure_RefusesWhatItDoesNotModel(string condition) =>
        Assert.Throws<NotSupportedException>(() => AzureConditionEvaluator.Evaluate(condition, Azure(false, ("A", "Succeeded"))));

    private static Dictionary<string, GitHubNeed> Needs(string result, string outcome = "met") =>
        new() { ["a"] = new GitHubNeed(result, new Dictionary<string, string> { ["outcome"] = outcome }) };

    [Theory]
    [InlineData(null, false, "success", true)]
    [InlineData(null, false, "failure", false)]
    [InlineData("needs.a.outputs.outcome == 'met'", false, "success", true)]
    [InlineData("needs.a.outputs.outcome == 'met'", false, "failure", false)] // implicit success() &&
    [InlineData("${{ needs.a.outputs.outcome == 'MET' }}", false, "success", true)] // strings compare ignoring case
    [InlineData("always() && needs.a.result != 'success'", true, "cancelled", true)]
    [InlineData("success()", true, "success", false)]
    [InlineData("failure()", false, "failure", true)]
    [InlineData("cancelled()", true, "success", true)]
    [InlineData("!cancelled() && (failure() || needs.a.outputs.missing == '')", false, "failure", true)]
    [InlineData("${{ !failure() }}", true, "failure", false)]
    public void GitHub_FollowsTheDocumentedSemantics(string? condition, bool cancelled, string result, bool expected) =>
        Assert.Equal(expected, GitHubConditionEvaluator.Evaluate(condition, cancelled, Needs(result)));

    [Fact]
    public void GitHub_StepScope_StatusFunctionsReadThePreviousSteps()
    {
        Assert.True(GitHubConditionEvaluator.Evaluate("${{ !failure() }}", true, Needs("failure"), previousStepFailed: false));
        Assert.False(GitHubConditionEvaluator.Evaluate("${{ !failure() }}", false, Needs("success"), previousStepFailed: true));
        Assert.False(GitHubConditionEvaluator.Evaluate(null, true, Needs("success"), previousStepFailed: false));
    }

    [Theory]
    [InlineData("contains(needs.a.result, 'fail')")]
    [InlineData("needs.b.result == 'success'")]
    [InlineData("needs['a'].result == 'success'")]
    [InlineData("github.event_name == 'push'")]
    [InlineData("needs.a.result == 1")]
    [InlineData("needs.a.result > 'a'")]
    [InlineData("always() && x")]
    [InlineData("prefix ${{ always() }}")]
    public void GitHub_RefusesWhatItDoesNotModel(string condition) =>
        Assert.Throws<NotSupportedException>(() => GitHubConditionEvaluator.Evaluate(condition, false, Needs("success")));
}
