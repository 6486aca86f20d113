using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>
/// Dockerfile and Dockerfile.windows package what tasks/package.sh publishes (no Docker engine is needed to
/// check that): the documented base images, COPY only from artifacts/bin/&lt;rid&gt;/, an exec-form ENTRYPOINT
/// on the copied binary, a non-root user on Linux, and no secret baked into the image.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles() => ["Dockerfile", "Dockerfile.windows"];

    [Fact]
    public void LinuxImage_IsRuntimeDeps10()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile");

        Assert.Equal(["mcr.microsoft.com/dotnet/runtime-deps:10.0"], dockerfile.FromImages);
    }

    [Fact]
    public void WindowsImage_IsServerCoreLtsc2022_WithTheTagAsABuildArgument()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile.windows");

        Assert.Equal(["mcr.microsoft.com/windows/servercore:ltsc2022"], dockerfile.FromImages);
        var from = Assert.Single(dockerfile.Instructions, i => i.Keyword == "FROM");
        Assert.Equal("mcr.microsoft.com/windows/servercore:${WINDOWS_TAG}", from.Arguments);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryCopySource_IsABinaryThePackageScriptPublishes(string name)
    {
        var produced = PackageScript.PublishedBinaries();
        var copies = Dockerfile.Parse(name).Instructions.Where(i => i.Keyword is "COPY" or "ADD").ToList();

        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            Assert.Equal("COPY", copy.Keyword);
            var words = copy.Words;
            Assert.DoesNotContain(words, w => w.StartsWith("--from", StringComparison.Ordinal));
            foreach (var source in words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            {
                Assert.Contains(source, produced);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryCopySource_IsLetThroughByDockerignore(string name)
    {
        var ignore = File.ReadAllLines(RepositoryPaths.Of(".dockerignore")).Select(l => l.Trim()).ToList();
        var sources = Dockerfile.Parse(name).Instructions.Where(i => i.Keyword == "COPY").Select(i => i.Words[0]);

        Assert.All(sources, source => Assert.Contains("!" + source, ignore));
    }

    [Theory]
    [InlineData("Dockerfile", "/app/orchprep")]
    [InlineData("Dockerfile.windows", @"C:\app\orchprep.exe")]
    public void Entrypoint_IsExecForm_OnTheCopiedBinary(string name, string expected)
    {
        var dockerfile = Dockerfile.Parse(name);
        var entrypoint = Assert.Single(dockerfile.Instructions, i => i.Keyword == "ENTRYPOINT");

        Assert.StartsWith("[", entrypoint.Arguments, StringComparison.Ordinal);
        var argv = JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)!;
        Assert.Equal([expected], argv);

        var copy = Assert.Single(dockerfile.Instructions, i => i.Keyword == "COPY");
        var windows = name.EndsWith(".windows", StringComparison.Ordinal);
        Assert.Equal(
            Normalize(copy.Words[^1], windows),
            Normalize(argv[0], windows));
        Assert.Equal(Path.GetFileName(copy.Words[0]), windows ? argv[0][(argv[0].LastIndexOf('\\') + 1)..] : Path.GetFileName(argv[0]));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void DefaultCommand_IsCheck(string name)
    {
        var cmd = Assert.Single(Dockerfile.Parse(name).Instructions, i => i.Keyword == "CMD");

        Assert.Equal(["check"], JsonSerializer.Deserialize<string[]>(cmd.Arguments)!);
    }

    [Fact]
    public void LinuxImage_RunsAsNonRoot_InWork()
    {
        var instructions = Dockerfile.Parse("Dockerfile").Instructions;

        var user = instructions.Last(i => i.Keyword == "USER").Arguments.Split(':')[0];
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.Equal("/work", instructions.Last(i => i.Keyword == "WORKDIR").Arguments);
        Assert.True(
            instructions.FindIndex(i => i.Keyword == "USER") > instructions.FindIndex(i => i.Keyword == "COPY"),
            "USER comes after the COPY, so the last user the image runs as is the non-root one");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void NoSecretLookingVariable_IsBakedIn(string name)
    {
        // ENV stays in the image; ARG values stay in its history. Secrets come from `docker run -e NAME`.
        var names = Dockerfile.Parse(name).Instructions
            .Where(i => i.Keyword is "ENV" or "ARG")
            .SelectMany(i => VariableNames(i.Arguments))
            .ToList();

        Assert.DoesNotContain(names, n => SecretWords.Any(s => n.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void SaysAtTheTop_ThatThePackageScriptRunsFirst(string name)
    {
        var header = File.ReadLines(RepositoryPaths.Of(name)).TakeWhile(l => l.StartsWith('#')).ToList();

        Assert.Contains(header, l => l.Contains("tasks/package.sh", StringComparison.Ordinal));
        Assert.Contains(header, l => l.Contains("no .NET SDK", StringComparison.Ordinal));
    }

    private static readonly string[] SecretWords = ["PASSWORD", "TOKEN", "SECRET"];

    private static string Normalize(string path, bool windows) =>
        windows ? path.Replace('\\', '/').ToUpperInvariant() : path;

    // `ENV A=1 B=2`, `ENV A 1` (legacy), `ARG A`, `ARG A=1`.
    private static IEnumerable<string> VariableNames(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && !words[0].Contains('=', StringComparison.Ordinal)
            ? [words[0]]
            : words.Where(w => w.Contains('=', StringComparison.Ordinal)).Select(w => w[..w.IndexOf('=', StringComparison.Ordinal)]);
    }

    internal sealed record Instruction(string Keyword, string Arguments)
    {
        public IReadOnlyList<string> Words => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    internal sealed record Dockerfile(List<Instruction> Instructions, IReadOnlyList<string> FromImages)
    {
        /// <summary>Instructions with continuation lines joined and comments dropped; FROM images with the global ARG defaults substituted.</summary>
        public static Dockerfile Parse(string name)
        {
            var instructions = new List<Instruction>();
            var pending = "";
            foreach (var raw in File.ReadAllLines(RepositoryPaths.Of(name)))
            {
                var line = raw.Trim();
                if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
                {
                    continue;
                }

                if (line.EndsWith('\\') && !line.StartsWith('['))
                {
                    pending += line[..^1] + " ";
                    continue;
                }

                var full = (pending + line).Trim();
                pending = "";
                var space = full.IndexOf(' ', StringComparison.Ordinal);
                instructions.Add(space < 0
                    ? new Instruction(full.ToUpperInvariant(), "")
                    : new Instruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
            }

            Assert.Equal("", pending);
            var globalArgs = instructions.TakeWhile(i => i.Keyword != "FROM")
                .Where(i => i.Keyword == "ARG" && i.Arguments.Contains('=', StringComparison.Ordinal))
                .ToDictionary(i => i.Arguments[..i.Arguments.IndexOf('=', StringComparison.Ordinal)], i => i.Arguments[(i.Arguments.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var images = instructions.Where(i => i.Keyword == "FROM")
                .Select(i => ArgReference().Replace(i.Words[0], m => globalArgs[m.Groups[1].Value]))
                .ToList();
            return new Dockerfile(instructions, images);
        }
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex ArgReference();
}

/// <summary>What tasks/package.sh produces, read from the script itself.</summary>
internal static partial class PackageScript
{
    public static string Text { get; } = File.ReadAllText(RepositoryPaths.Of("tasks/package.sh"));

    /// <summary>artifacts/bin/&lt;rid&gt;/orchprep(.exe) for every rid the script publishes by default.</summary>
    public static IReadOnlyList<string> PublishedBinaries()
    {
        Assert.Contains("out=\"$artifacts/bin/$1\"", Text, StringComparison.Ordinal);
        Assert.Contains("win-*) echo \"$artifacts/bin/$1/orchprep.exe\"", Text, StringComparison.Ordinal);
        Assert.Contains("*) echo \"$artifacts/bin/$1/orchprep\"", Text, StringComparison.Ordinal);
        var rids = DefaultRids().Match(Text);
        Assert.True(rids.Success, "tasks/package.sh sets rids=(…) for the default build");
        return [.. rids.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(rid => $"artifacts/bin/{rid}/" + (rid.StartsWith("win-", StringComparison.Ordinal) ? "orchprep.exe" : "orchprep"))];
    }

    /// <summary>The folder the script stages the task into (artifacts/vsix/&lt;task folder&gt;).</summary>
    public static string TaskFolder()
    {
        Assert.Contains("task_stage=\"$stage/$task_folder\"", Text, StringComparison.Ordinal);
        Assert.Contains("stage=\"$artifacts/vsix\"", Text, StringComparison.Ordinal);
        var folder = TaskFolderAssignment().Match(Text);
        Assert.True(folder.Success, "tasks/package.sh sets task_folder=\"…\"");
        return folder.Groups[1].Value;
    }

    [GeneratedRegex(@"^\s*""""\) rids=\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex DefaultRids();

    [GeneratedRegex(@"^task_folder=""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex TaskFolderAssignment();
}
