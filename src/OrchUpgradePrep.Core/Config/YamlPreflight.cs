using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OrchUpgradePrep.Config;

/// <summary>
/// A streaming pass over the YAML events before the representation model is built: it bounds depth and
/// size (YamlDotNet loads recursively) and reports every duplicate key (YamlDotNet stops at the first).
/// </summary>
internal static class YamlPreflight
{
    /// <summary>True when the document may be loaded into a <c>YamlStream</c>; otherwise errors were added.</summary>
    public static bool Check(string yamlText, ConfigReadContext context)
    {
        var frames = new Stack<Frame>();
        var events = 0;
        var documents = 0;
        var problems = context.Errors.Count;
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var lastGood = Mark.Empty;
        var parser = new Parser(new StringReader(yamlText));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                lastGood = current.Start;
                if (++events > ConfigLimits.MaxEvents)
                {
                    context.Error(current.Start, $"the document has too many YAML nodes (more than {ConfigLimits.MaxEvents}); a config file is a few hundred lines.");
                    return false;
                }

                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        context.Error(current.Start, "only one YAML document is allowed; remove the '---' separator and the second document.");
                        return false;
                    case AnchorAlias alias:
                        if (!anchors.Contains(alias.Value.Value))
                        {
                            // YamlDotNet reports an unknown alias without a useful position; report it here.
                            context.Error(alias.Start, $"the alias '*{alias.Value}' refers to no anchor '&{alias.Value}' defined before it.");
                        }

                        NoteNode(alias, frames, context);
                        break;
                    case NodeEvent node:
                        if (!node.Anchor.IsEmpty)
                        {
                            anchors.Add(node.Anchor.Value);
                        }

                        NoteNode(node, frames, context);
                        if (node is MappingStart or SequenceStart)
                        {
                            if (frames.Count >= ConfigLimits.MaxDepth)
                            {
                                context.Error(current.Start, $"the document nests deeper than {ConfigLimits.MaxDepth} levels.");
                                return false;
                            }

                            frames.Push(new Frame(node is MappingStart));
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        if (frames.Pop() is { IsMapping: true, ExpectingKey: false } unfinished)
                        {
                            // YamlDotNet's parser can end a mapping after a key whose value it skipped ("key: &&",
                            // "key: }", ": \0"); loading that would throw ArgumentException from the representation model.
                            context.Error(unfinished.LastKey, "YAML syntax error: this key has no value the parser could read; check what follows its ':'.");
                        }

                        break;
                }
            }
        }
        catch (YamlException e)
        {
            context.Error(TabIndentation(yamlText, e) ?? e.Start, "YAML syntax error: " + CleanMessage(e));
            return false;
        }
        catch (ArgumentException)
        {
            // YamlDotNet's scanner throws this for a "\uD800"-style escape that is half a surrogate pair.
            context.Error(lastGood, "YAML syntax error after this point: an escape such as \\uD800 is not a whole Unicode character.");
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some unterminated flow collections ('{ a: b' without '}').
            context.Error(lastGood, "YAML syntax error after this point: check for an unclosed '{', '[' or quote.");
            return false;
        }

        return context.Errors.Count == problems;
    }

    /// <summary>
    /// YamlDotNet reports a tab in the indentation at the start of the mapping it was scanning (often line 1);
    /// the admin needs the tab itself: the first one in a line's leading whitespace from that line on.
    /// </summary>
    private static Mark? TabIndentation(string yamlText, YamlException e)
    {
        if (!e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var lines = yamlText.Split('\n');
        for (var i = (int)Math.Max(0, e.Start.Line - 1); i < lines.Length; i++)
        {
            var line = lines[i];
            var indent = line.Length - line.TrimStart(' ', '\t').Length;
            var tab = line.IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return new Mark(0, i + 1, tab + 1);
            }
        }

        return null;
    }

    // YamlDotNet messages often end with the position again; we already prefix it.
    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var at = message.IndexOf("(Line: ", StringComparison.Ordinal);
        return (at > 0 ? message[..at] : message).Trim();
    }

    private static void NoteNode(ParsingEvent node, Stack<Frame> frames, ConfigReadContext context)
    {
        if (frames.Count == 0 || !frames.Peek().IsMapping)
        {
            return;
        }

        // Nodes inside a mapping alternate key, value, key, value.
        var frame = frames.Peek();
        var isKey = frame.ExpectingKey;
        frame.ExpectingKey = !isKey;
        if (isKey)
        {
            frame.LastKey = node.Start;
        }

        if (isKey && node is Scalar { Value: var key })
        {
            if (!frame.Keys.TryAdd(key, node.Start.Line))
            {
                context.Error(node.Start, $"duplicate key '{key}' (first written on line {frame.Keys[key]}); each key may appear once in a mapping.");
            }
        }
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectingKey { get; set; } = true;

        public Mark LastKey { get; set; } = Mark.Empty;

        public Dictionary<string, long> Keys { get; } = new(StringComparer.Ordinal);
    }
}
