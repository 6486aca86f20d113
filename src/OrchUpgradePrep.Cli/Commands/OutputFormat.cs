namespace OrchUpgradePrep.Cli.Commands;

/// <summary>What <c>--format</c> prints to standard output. <c>--output DIR</c> always writes all files.</summary>
internal enum OutputFormat
{
    Console,
    Json,
    Markdown,
    Junit,
}
