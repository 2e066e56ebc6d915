using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim serve`: Run the guard API and dashboard. (Not built yet: see the issue that owns it.)</summary>
internal static class ServeCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("serve", "Run the guard API and dashboard.");
        command.SetAction(_ => io.UsageError("'serve' is not available in this build yet."));
        return command;
    }
}
