using System.Text;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.WebService;

/// <summary>The sandbox web service reads a job's POST/MERGE body: a body it cannot read is a 400 with a reason, never a crash.</summary>
public sealed class AtomEntryReaderTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", "not an Atom entry")]
    [InlineData("<entry xmlns=\"http://www.w3.org/2005/Atom\"><unclosed>", "not valid XML")]
    // System.Xml throws ArgumentOutOfRangeException, not XmlException, on this declaration (found by fuzzing the client's reader).
    [InlineData("<?xml version=\"1.0\ufa89\u2b45\uc003\u6098\ub665\" encoding=\"utf-8\"?><entry xm", "XML declaration cannot be read")]
    public void A_body_it_cannot_read_is_refused_with_the_reason(string body, string expected)
    {
        var read = AtomEntryReader.TryRead(Encoding.UTF8.GetBytes(body), out var properties, out var error);

        Assert.False(read);
        Assert.Empty(properties);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
