using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim rollup`: Weekly rollup from the audit store. (Not built yet: see the issue that owns it.)</summary>
internal static class RollupCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("rollup", "Weekly rollup from the audit store.");
        command.SetAction(_ => io.UsageError("'rollup' is not available in this build yet."));
        return command;
    }
}
