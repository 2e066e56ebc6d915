namespace CanarySim.Cli.Tests;

/// <summary>Runs <c>canarysim</c> in process with captured stdout and stderr (imported with <c>using static</c>).</summary>
internal static class InProcessCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CanarySimCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
