using CanarySim.Core.Rollout;
using CanarySim.Harness.Simulation;

namespace CanarySim.Harness.Sweeps;

/// <summary>
/// Runs a plan once per seed and scenario on a bounded pool of worker threads, each run through the simulator's public
/// entry (<see cref="RolloutSimulator"/>) with the real router, detector and rollback controller. Results come back in
/// seed order (then scenario order) whatever the number of workers, so the same settings give the same records.
/// </summary>
public sealed class SweepRunner
{
    private readonly RolloutPlan _plan;
    private readonly SweepSettings _settings;

    /// <summary>Prepares a sweep of <paramref name="plan"/>; its own <c>inject:</c> list is not applied (the scenarios say what is injected).</summary>
    /// <exception cref="PlanValidationException">When the plan is invalid.</exception>
    public SweepRunner(RolloutPlan plan, SweepSettings settings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Scenarios.Count == 0)
        {
            throw new ArgumentException("a sweep needs at least one scenario", nameof(settings));
        }
        _plan = plan with { Inject = [] };
        _settings = settings;
        // validates the plan (and the policy it derives) and every scenario's injection once, before any worker starts
        foreach (var scenario in settings.Scenarios)
        {
            _ = new RolloutSimulator(_plan, Options(settings.Seeds.First, scenario));
        }
    }

    /// <summary>Runs planned: the shard's seeds times the scenarios.</summary>
    public int Planned => _settings.Shard.Seeds(_settings.Seeds).Count() * _settings.Scenarios.Count;

    /// <summary>
    /// Runs every (seed, scenario) of the shard. Cancelling stops handing out runs and abandons the ones under way; what
    /// finished is returned with <see cref="SweepRunOutcome.Partial"/> set.
    /// </summary>
    public SweepRunOutcome Run(Action<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var jobs = _settings.Shard.Seeds(_settings.Seeds)
            .SelectMany(seed => _settings.Scenarios.Select(scenario => (Seed: seed, Scenario: scenario)))
            .ToArray();
        var results = new SweepRunRecord?[jobs.Length];
        var next = -1;
        var tally = new object();
        int done = 0, healthy = 0, falseAlarms = 0, injected = 0, detected = 0;
        long requests = 0;
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        void Work()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= jobs.Length)
                {
                    return;
                }
                var (seed, scenario) = jobs[i];
                SweepRunRecord record;
                try
                {
                    var result = new RolloutSimulator(_plan, Options(seed, scenario)).Run(stop.Token);
                    record = SweepRunReader.Read(result, scenario, _plan.Start);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    lock (tally)
                    {
                        failure ??= new InvalidOperationException($"sweep run seed {seed}, scenario '{scenario.Name}' failed: {ex.Message}", ex);
                    }
                    stop.Cancel();
                    return;
                }
                results[i] = record;
                SweepProgress snapshot;
                lock (tally)
                {
                    done++;
                    requests += record.Requests;
                    if (scenario.IsHealthy)
                    {
                        healthy++;
                        falseAlarms += record.FalseAlarm ? 1 : 0;
                    }
                    else
                    {
                        injected++;
                        detected += record.Detected ? 1 : 0;
                    }
                    snapshot = new SweepProgress(done, jobs.Length, requests, healthy, falseAlarms, injected, detected);
                }
                progress?.Invoke(snapshot);
            }
        }

        var workers = Math.Clamp(_settings.Workers, 1, Math.Max(1, jobs.Length));
        var threads = Enumerable.Range(0, workers - 1).Select(n => new Thread(Work) { IsBackground = true, Name = $"sweep-worker-{n + 2}" }).ToList();
        threads.ForEach(t => t.Start());
        Work();
        threads.ForEach(t => t.Join());
        if (failure is not null)
        {
            throw failure;
        }
        var finished = results.Where(r => r is not null).Select(r => r!).ToList();
        return new SweepRunOutcome(finished, jobs.Length, finished.Count < jobs.Length);
    }

    private SimulationOptions Options(int seed, SweepScenario scenario) => new()
    {
        Seed = seed,
        Requests = _settings.Requests,
        Injections = scenario.Injection is { } f ? [f] : [],
        Policy = _settings.Policy,
        ArtifactBase = _settings.ArtifactBase,
        // the sweep keeps every core busy with whole runs; a second draw thread per run would only contend
        ParallelDraws = false,
        // the run records are read from the settings history and the guard's audit events, never from the route aggregates
        RecordRouteAudit = false,
    };
}
