using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Platform.HostFacts;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts;

public sealed class ContainerDetectionTests
{
    [Fact]
    public void Nothing_found_is_not_a_container() =>
        Assert.Null(ContainerDetection.Detect(_ => null, new MockFileSystem(), () => null));

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    public void The_dotnet_images_variable_says_container(string value) =>
        Assert.Equal("DOTNET_RUNNING_IN_CONTAINER=true", ContainerDetection.Detect(n => n == "DOTNET_RUNNING_IN_CONTAINER" ? value : null, new MockFileSystem(), null));

    [Fact]
    public void The_variable_set_to_anything_else_is_not_a_container() =>
        Assert.Null(ContainerDetection.Detect(n => n == "DOTNET_RUNNING_IN_CONTAINER" ? "false" : null, new MockFileSystem(), null));

    [Theory]
    [InlineData("/.dockerenv")]
    [InlineData("/run/.containerenv")]
    public void A_container_engines_marker_file_says_container(string marker)
    {
        var fs = new MockFileSystem();
        fs.AddFile(marker, new MockFileData(string.Empty));

        Assert.Equal($"{marker} exists", ContainerDetection.Detect(_ => null, fs, null));
    }

    [Fact]
    public void The_windows_container_type_value_says_container_and_a_refused_read_does_not()
    {
        Assert.Equal(@"HKLM\SYSTEM\CurrentControlSet\Control ContainerType = 2", ContainerDetection.Detect(_ => null, new MockFileSystem(), () => 2));
        Assert.Null(ContainerDetection.Detect(_ => null, new MockFileSystem(), () => throw new UnauthorizedAccessException()));
    }
}
