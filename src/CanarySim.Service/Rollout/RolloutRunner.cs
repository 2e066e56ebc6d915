using Microsoft.Extensions.Options;

namespace CanarySim.Service.Rollout;

/// <summary>
/// Drives the live plan: ticks the rollout at the plan's evaluation interval (sooner when a stage's hold ends
/// sooner) on the injected <see cref="TimeProvider"/>, until the service stops. Nothing runs without a plan,
/// or with <see cref="GuardServiceOptions.PlanTicks"/> off (tests tick by hand).
/// </summary>
internal sealed class RolloutRunner(LiveRolloutHost host, IOptions<GuardServiceOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (host.Rollout is not { } rollout || !options.Value.PlanTicks)
        {
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await rollout.TickAsync(stoppingToken);
                await Task.Delay(rollout.NextDelay(), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
