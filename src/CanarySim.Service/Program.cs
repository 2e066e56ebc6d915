using CanarySim.Service;

return GuardServiceHost.Run(args);

/// <summary>The service's entry point, public so <c>WebApplicationFactory&lt;Program&gt;</c> can host it in tests.</summary>
public partial class Program;
