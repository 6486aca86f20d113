using System.Globalization;
using System.Runtime.InteropServices;
using OrchUpgradePrep.Cli;

// Logs, reports and pipeline commands are read by tools and by people in every locale: numbers and dates are
// written one way ("2.0 GHz", not "2,0 GHz" on a German runner). Messages from the OS keep the UI culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// One root cancellation token: the first Ctrl+C or SIGTERM cancels the run (a partial report is still
// written and the exit code is 130); a second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("orchprep: cancelling (press Ctrl+C again to abort at once)…");
        cancellation.Cancel();
    }
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

return await OrchPrepCli.RunAsync(args, CliEnvironment.FromProcess(), cancellation.Token);
