using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>
/// What the Azure and GitHub condition evaluators read alike: the position in the text, white space, single-quoted
/// strings ('' is a quote inside one, in both systems) and the refusal that names a construct they do not model.
/// </summary>
internal abstract class ConditionScanner(string text, string system)
{
    protected string Text { get; } = text;

    protected int Position { get; set; }

    public void ExpectEnd()
    {
        SkipSpace();
        if (Position != Text.Length)
        {
            throw Refuse($"unexpected '{Text[Position..]}'");
        }
    }

    protected string ReadString()
    {
        Expect('\'');
        var value = new StringBuilder();
        while (true)
        {
            if (Position >= Text.Length)
            {
                throw Refuse("unterminated string");
            }

            if (Text[Position] == '\'')
            {
                if (Position + 1 < Text.Length && Text[Position + 1] == '\'')
                {
                    value.Append('\'');
                    Position += 2;
                    continue;
                }

                Position++;
                return value.ToString();
            }

            value.Append(Text[Position++]);
        }
    }

    protected void Expect(char c)
    {
        SkipSpace();
        if (Position >= Text.Length || Text[Position] != c)
        {
            throw Refuse($"expected '{c}' at {Position}");
        }

        Position++;
    }

    protected void SkipSpace()
    {
        while (Position < Text.Length && char.IsWhiteSpace(Text[Position]))
        {
            Position++;
        }
    }

    protected NotSupportedException Refuse(string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{system} condition not modelled: {what} in '{Text}'"));
}
