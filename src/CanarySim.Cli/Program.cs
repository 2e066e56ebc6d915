using CanarySim.Cli;

return CanarySimCli.Run(args, Console.Out, Console.Error);
