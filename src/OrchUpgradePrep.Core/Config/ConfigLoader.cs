using System.IO.Abstractions;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>
/// Reads orchprep.yml strictly: unknown keys, wrong types, missing values and secrets written into the file
/// are all reported together, one <c>file(line,col): message</c> per line, in one <see cref="ConfigException"/>.
/// </summary>
public sealed class ConfigLoader(IFileSystem fileSystem)
{
    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file is missing, unreadable, too large or invalid.</exception>
    public OrchPrepConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            if (!fileSystem.File.Exists(path))
            {
                throw new ConfigException($"{path}: config file not found.");
            }

            // Check the size before reading so a huge file is never loaded into memory.
            if (fileSystem.FileInfo.New(path).Length > ConfigLimits.MaxDocumentBytes)
            {
                throw new ConfigException($"{path}: the config file is larger than {ConfigLimits.MaxDocumentBytes / 1024} KiB.");
            }

            text = fileSystem.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the config file: {e.Message}", e);
        }

        var parsed = Parse(text, path);
        return parsed with { SourcePath = fileSystem.Path.GetFullPath(path) };
    }

    /// <summary>Validates YAML text; <paramref name="sourceName"/> names it in messages and becomes <see cref="OrchPrepConfig.SourcePath"/>.</summary>
    /// <exception cref="ConfigException">The text is not a valid orchprep config.</exception>
    public static OrchPrepConfig Parse(string yamlText, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (Encoding.UTF8.GetByteCount(yamlText) > ConfigLimits.MaxDocumentBytes)
        {
            throw ConfigException.At(sourceName, 1, 1, $"the config is larger than {ConfigLimits.MaxDocumentBytes / 1024} KiB.");
        }

        var context = new ConfigReadContext();
        if (!YamlPreflight.Check(yamlText, context))
        {
            throw context.ToException(sourceName);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            // The preflight catches syntax errors; what is left are semantic ones such as an unknown alias.
            context.Error(e.Start, e.Message);
            throw context.ToException(sourceName);
        }

        if (stream.Documents.Count == 0 || YamlNodes.IsNull(stream.Documents[0].RootNode))
        {
            throw ConfigException.At(sourceName, 1, 1, "the config file is empty; it must start with 'environments:'.");
        }

        Dictionary<string, EnvironmentConfig> environments = [];
        try
        {
            environments = ReadRoot(stream.Documents[0].RootNode, context);
        }
        catch (ConfigNodeBudgetExceededException)
        {
            // The errors found so far are mostly repeats of the same aliased nodes; report the cause alone.
            var root = stream.Documents[0].RootNode.Start;
            throw ConfigException.At(sourceName, root.Line, root.Column, $"the document expands to more than {ConfigLimits.MaxNodeVisits} nodes through anchors and aliases; write the config with fewer aliases.");
        }

        if (context.Errors.Count > 0)
        {
            throw context.ToException(sourceName);
        }

        return new OrchPrepConfig(sourceName, environments);
    }

    private static Dictionary<string, EnvironmentConfig> ReadRoot(YamlNode root, ConfigReadContext context)
    {
        var environments = new Dictionary<string, EnvironmentConfig>(StringComparer.Ordinal);
        if (YamlSection.Open(context, root, "", ConfigKeys.Root) is not { } top)
        {
            return environments;
        }

        top.Require("environments", " (a mapping from environment name to its hosts, sql, webService and policies)");
        if (top.Section("environments", allowedKeys: null) is not { } section)
        {
            return environments;
        }

        if (!section.Entries.Any())
        {
            context.Error(section.Node, "'environments' is empty; define at least one environment.");
        }

        var reader = new EnvironmentReader(context);
        foreach (var (keyNode, value) in section.Entries)
        {
            var name = keyNode.Value!;
            if (!YamlSectionValues.IsName(name))
            {
                context.Error(keyNode, $"'{name}' is not a valid environment name; use letters, digits, '_', '.' and '-', starting with a letter or digit.");
                continue;
            }

            if (reader.Read(name, keyNode, value, "environments." + name) is { } environment)
            {
                environments.Add(name, environment);
            }
        }

        return environments;
    }
}
