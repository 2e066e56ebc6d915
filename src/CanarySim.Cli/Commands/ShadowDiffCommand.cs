using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim shadow-diff`: Compare baseline and candidate UAT artifacts. (Not built yet: see the issue that owns it.)</summary>
internal static class ShadowDiffCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("shadow-diff", "Compare baseline and candidate UAT artifacts.");
        command.SetAction(_ => io.UsageError("'shadow-diff' is not available in this build yet."));
        return command;
    }
}
