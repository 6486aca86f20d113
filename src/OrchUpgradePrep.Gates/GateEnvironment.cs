namespace OrchUpgradePrep.Gates;

/// <summary>
/// A pipeline's environment (GitHub environment, Azure DevOps environment or URL segment) mapped to what `check` runs:
/// an environment of the config, or a sandbox scenario (`sandbox:ready`) for trials and tests.
/// </summary>
public sealed record GateEnvironment(string PipelineName, string? ConfigEnvironment, string? SandboxScenario)
{
    public string Key => SandboxScenario is null ? "config:" + ConfigEnvironment : "sandbox:" + SandboxScenario;

    public override string ToString() => SandboxScenario is null ? ConfigEnvironment! : $"sandbox scenario {SandboxScenario}";
}
