using CanarySim.Service;

return GuardServiceHost.Run(args);
