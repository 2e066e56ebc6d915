using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim evaluate`: Feed samples to the regression detector. (Not built yet: see the issue that owns it.)</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("evaluate", "Feed samples to the regression detector.");
        command.SetAction(_ => io.UsageError("'evaluate' is not available in this build yet."));
        return command;
    }
}
