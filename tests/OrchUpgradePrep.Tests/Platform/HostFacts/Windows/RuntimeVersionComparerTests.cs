using OrchUpgradePrep.Platform.HostFacts.Windows;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Windows;

public sealed class RuntimeVersionComparerTests
{
    [Fact]
    public void Orders_folder_names_as_versions_with_previews_before_the_release()
    {
        string[] folders = ["9.0.0", "8.0.10", "10.0.0-rc.2.25502.107", "8.0.9", "not-a-version", "9.0.0-preview.7"];

        var ordered = folders.Order(RuntimeVersionComparer.Instance).ToArray();

        Assert.Equal(
            ["8.0.9", "8.0.10", "9.0.0-preview.7", "9.0.0", "10.0.0-rc.2.25502.107", "not-a-version"],
            ordered);
    }
}
