using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>State shared while walking one document: the errors found so far and the node budget.</summary>
internal sealed class ConfigReadContext
{
    private const int MaxReported = 100;

    private readonly List<ConfigError> errors = [];
    private int visits;

    public IReadOnlyList<ConfigError> Errors => errors;

    public void Error(Mark at, string message) => errors.Add(new ConfigError(at.Line, at.Column, message));

    public void Error(YamlNode at, string message) => Error(at.Start, message);

    /// <summary>Counts a visited node; aliases make the walk revisit shared nodes, so this bounds the work.</summary>
    public void Visit()
    {
        if (++visits > ConfigLimits.MaxNodeVisits)
        {
            throw new ConfigNodeBudgetExceededException();
        }
    }

    public ConfigException ToException(string sourceName)
    {
        var distinct = errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        var lines = distinct
            .Take(MaxReported)
            .Select(e => ConfigException.At(sourceName, e.Line, e.Column, e.Message).Message)
            .ToList();
        if (distinct.Count > MaxReported)
        {
            // A broken file can produce thousands of errors; the first ones are enough to act on.
            lines.Add($"{sourceName}: … and {distinct.Count - MaxReported} more errors.");
        }

        return new ConfigException(string.Join('\n', lines));
    }
}
