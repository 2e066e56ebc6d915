using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim gate`: Release gate over recorded UAT artifacts. (Not built yet: see the issue that owns it.)</summary>
internal static class GateCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("gate", "Release gate over recorded UAT artifacts.");
        command.SetAction(_ => io.UsageError("'gate' is not available in this build yet."));
        return command;
    }
}
