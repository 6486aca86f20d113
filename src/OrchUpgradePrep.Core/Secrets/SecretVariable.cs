namespace OrchUpgradePrep.Secrets;

/// <summary>An environment variable that holds a secret, and its value. <see cref="ToString"/> names the variable only.</summary>
public sealed record SecretVariable(string Name, string Value)
{
    public override string ToString() => Name;
}
