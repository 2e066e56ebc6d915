using Microsoft.Extensions.Options;

namespace CanarySim.Service.Guard;

/// <summary>
/// Evaluates on an interval (default 15 s) so auto-rollback happens without anyone calling
/// <c>/guard/evaluate</c>. The timer runs on the injected <see cref="TimeProvider"/>, so tests drive it
/// with a virtual clock. A failing evaluation is logged and counted; the loop keeps going.
/// </summary>
internal sealed class BackgroundEvaluator(GuardRuntime runtime, IOptions<GuardServiceOptions> options, TimeProvider time, ILogger<BackgroundEvaluator> log)
    : BackgroundService
{
    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Created here, not in ExecuteAsync: the timer must exist once the host has started, so a
        // virtual clock advanced right after start-up fires it.
        if (options.Value.BackgroundEvaluation)
        {
            _timer = new PeriodicTimer(options.Value.EvaluationInterval, time);
            log.LogInformation("background evaluation every {IntervalSeconds} s", options.Value.EvaluationInterval.TotalSeconds);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            return;
        }
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await runtime.EvaluateAsync("background", stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Already logged and counted by the runtime; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }
}
