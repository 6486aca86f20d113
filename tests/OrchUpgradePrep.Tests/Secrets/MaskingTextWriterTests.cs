using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Secrets;

public sealed class MaskingTextWriterTests
{
    private static (MaskingTextWriter Writer, StringWriter Inner) Create(params string[] secrets)
    {
        var masker = new SecretMasker();
        foreach (var secret in secrets)
        {
            masker.Add(secret);
        }

        var inner = new StringWriter { NewLine = "\n" };
        return (new MaskingTextWriter(inner, masker, leaveOpen: true), inner);
    }

    [Fact]
    public void SecretSplitAcrossWrites_IsStillMasked()
    {
        var (writer, inner) = Create("hunter2");

        writer.Write("password: hun");
        writer.Write('t');
        writer.Write("er".ToCharArray(), 0, 2);
        writer.Write("2".AsSpan());
        writer.WriteLine();

        Assert.Equal("password: ***\n", inner.ToString());
    }

    [Fact]
    public void UnfinishedLine_IsHeldUntilNewLine()
    {
        var (writer, inner) = Create("hunter2");

        writer.Write("no newline yet hunt");

        Assert.Equal(string.Empty, inner.ToString());
        writer.Write("er2 done\nnext");
        Assert.Equal("no newline yet *** done\n", inner.ToString());
    }

    [Fact]
    public void FlushAndDispose_WriteTheRestMasked()
    {
        var (writer, inner) = Create("hunter2");

        writer.Write("tail hunter2");
        writer.Flush();
        writer.Write(" more hunter2");
        writer.Dispose();

        Assert.Equal("tail *** more ***", inner.ToString());
    }

    [Fact]
    public void Dispose_ClosesInnerUnlessLeftOpen()
    {
        var inner = new StringWriter();
        new MaskingTextWriter(inner, new SecretMasker()).Dispose();

        Assert.Throws<ObjectDisposedException>(() => inner.Write("x"));
    }
}
