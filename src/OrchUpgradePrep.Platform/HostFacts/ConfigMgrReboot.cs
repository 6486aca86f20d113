using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>DetermineIfRebootPending's out-parameters as one fact, whichever adapter (WMI or CIM) called it.</summary>
internal static class ConfigMgrReboot
{
    public static ConfigMgrRebootState From(object? returnValue, IReadOnlyDictionary<string, object?> outParameters, string source)
    {
        var code = returnValue switch
        {
            uint u => u,
            int i when i >= 0 => (uint)i,
            _ => throw new HostFactsException($"{source}: ReturnValue is {returnValue ?? "missing"}, not a number"),
        };
        return new ConfigMgrRebootState(code, Flag(outParameters, "RebootPending", source), Flag(outParameters, "IsHardRebootPending", source), source);
    }

    private static bool Flag(IReadOnlyDictionary<string, object?> outParameters, string name, string source) =>
        outParameters.GetValueOrDefault(name) switch
        {
            bool b => b,
            null => throw new HostFactsException($"{source}: the answer has no {name}"),
            var other => throw new HostFactsException($"{source}: {name} is {other.GetType().Name} {other}, not a boolean"),
        };
}
