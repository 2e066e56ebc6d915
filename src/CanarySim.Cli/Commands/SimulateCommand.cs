using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim simulate`: Run a rollout plan against synthetic traffic in virtual time. (Not built yet: see the issue that owns it.)</summary>
internal static class SimulateCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("simulate", "Run a rollout plan against synthetic traffic in virtual time.");
        command.SetAction(_ => io.UsageError("'simulate' is not available in this build yet."));
        return command;
    }
}
