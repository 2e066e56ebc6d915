using System.Globalization;
using CanarySim.Core.Detection;
using CanarySim.Core.Judging;
using CanarySim.Core.Routing;

namespace CanarySim.Benchmarks;

/// <summary>
/// Baseline for <see cref="DetectorBenchmarks"/>: the detector as it was before checks became data (ten fixed code
/// paths over the same streaming windows), frozen here unchanged but for its name, so one benchmark run can put the
/// declared default policy next to it. Not used by anything else.
/// </summary>
internal sealed class LegacyDetector
{
    private readonly IMetricsStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset? _errorStreakSince;
    private DateTimeOffset? _latencyStreakSince;

    /// <summary>Creates a detector over <paramref name="store"/>; options default to the SPEC policy, time to the system clock.</summary>
    public LegacyDetector(IMetricsStore store, DetectorOptions? options = null, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Options = (options ?? new DetectorOptions()).EnsureValid();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The policy in force.</summary>
    public DetectorOptions Options { get; }

    /// <summary>Forgets the sustained-breach history (e.g. after a manual re-enable).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _errorStreakSince = null;
            _latencyStreakSince = null;
        }
    }

    /// <summary>
    /// Runs one evaluation. Exceptions of the metric store propagate: an <see cref="AnalysisRun"/>
    /// records them as error measurements, never as a pass.
    /// </summary>
    public Verdict Evaluate()
    {
        lock (_gate)
        {
            var o = Options;
            var now = _time.GetUtcNow();
            var v1 = WithRolling(Engine.V1, Aggregate(Engine.V1, o.Window, now), now);
            var v2 = WithRolling(Engine.V2, Aggregate(Engine.V2, o.Window, now), now);

            var breaches = new List<Breach>();
            var pending = new List<Breach>();
            var notes = new List<string>();

            // a policy violation is judged on any sample count, it never waits for the minimum.
            if (v2.PolicyViolations > 0)
            {
                breaches.Add(Make(CheckNames.PolicyViolation, v2.PolicyViolations, 0,
                    $"policy_violation (V2: {v2.PolicyViolations} violation{(v2.PolicyViolations == 1 ? "" : "s")} in {o.Window}, any is a breach)"));
            }

            var enough = v2.Count >= o.MinSamples;
            JudgeResult? judge = null;
            if (!enough)
            {
                notes.Add($"min_samples (V2: {v2.Count} < {o.MinSamples}): only policy_violation is judged");
                // An evaluation that could not judge is not a breaching one: sustained streaks restart.
                _errorStreakSince = null;
                _latencyStreakSince = null;
            }
            else
            {
                CheckQuality(v1, v2, breaches, notes);
                // strict comparisons everywhere — exactly at a threshold is not a breach.
                if (v2.P95LatencyMs > o.LatencyP95MaxMs)
                {
                    breaches.Add(Make(CheckNames.Latency, v2.P95LatencyMs.Value, o.LatencyP95MaxMs,
                        $"latency (V2 p95: {Ms(v2.P95LatencyMs.Value)}ms > {Ms(o.LatencyP95MaxMs)}ms)"));
                }
                if (v2.MeanCostCents > o.CostMaxCents)
                {
                    breaches.Add(Make(CheckNames.Cost, v2.MeanCostCents.Value, o.CostMaxCents,
                        $"cost (V2 mean: {Cents(v2.MeanCostCents.Value)}c > {Cents(o.CostMaxCents)}c per run)"));
                }
                // The reason text is formatted only for a breaching check (every evaluation formats nothing it does not report).
                var errorBreach = v2.ErrorRate > o.ErrorRateMax;
                Sustained(CheckNames.ErrorRate, errorBreach, ref _errorStreakSince, o.ErrorRateSustainFor, now, v2.ErrorRate, o.ErrorRateMax,
                    errorBreach ? $"error_rate (V2: {Pct(v2.ErrorRate)} > {Pct(o.ErrorRateMax)}" : "", breaches, pending);
                var p95 = v2.P95LatencyMs ?? 0;
                var latencyBreach = p95 > o.LatencySustainedP95MaxMs;
                Sustained(CheckNames.LatencySustained, latencyBreach, ref _latencyStreakSince, o.LatencySustainFor, now, p95, o.LatencySustainedP95MaxMs,
                    latencyBreach ? $"latency_sustained (V2 p95: {Ms(p95)}ms > {Ms(o.LatencySustainedP95MaxMs)}ms" : "", breaches, pending);
                CheckCostSpike(v1, v2, breaches, notes);
                var complaints = v2.ComplaintsPerHour * o.ComplaintsWindow.TotalHours ?? 0;
                if (complaints > o.ComplaintsMax)
                {
                    breaches.Add(Make(CheckNames.Complaints, complaints, o.ComplaintsMax,
                        $"complaints (V2: {complaints:0} in {Span(o.ComplaintsWindow)} > {o.ComplaintsMax})"));
                }
                if (v2.FallbackRateRolling > o.FallbackRateMax)
                {
                    breaches.Add(Make(CheckNames.FallbackRate, v2.FallbackRateRolling.Value, o.FallbackRateMax,
                        $"fallback_rate (V2: {Pct(v2.FallbackRateRolling.Value)} over the last {o.FallbackWindowRuns} runs > {Pct(o.FallbackRateMax)})"));
                }
                if (o.Judge.Enabled)
                {
                    judge = RunJudge(now, notes);
                    if (judge?.Classification == JudgeClassification.Fail)
                    {
                        breaches.Add(Make(CheckNames.Judge, judge.Score, o.Judge.MarginalScore, $"judge ({judge.Reason})"));
                    }
                    else if (judge?.Classification == JudgeClassification.Marginal)
                    {
                        pending.Add(new Breach(CheckNames.Judge, judge.Score, o.Judge.PassScore, $"judge ({judge.Reason})", VerdictAction.Hold));
                    }
                }
            }

            VerdictOutcome outcome;
            VerdictAction action;
            if (breaches.Count > 0)
            {
                outcome = VerdictOutcome.Fail;
                action = breaches.Max(b => b.Action); // the most severe action wins
            }
            else if (!enough)
            {
                outcome = VerdictOutcome.InsufficientData;
                action = VerdictAction.None;
            }
            else if (pending.Count > 0)
            {
                outcome = VerdictOutcome.Inconclusive;
                action = VerdictAction.Hold;
            }
            else
            {
                outcome = VerdictOutcome.Pass;
                action = VerdictAction.None;
            }

            return new Verdict
            {
                Outcome = outcome,
                Action = action,
                Breaches = breaches,
                Pending = pending,
                V1 = v1,
                V2 = v2,
                Samples = new SampleCounts(v1.Count, v2.Count),
                At = now,
                Window = o.Window.ToString(),
                Notes = notes,
                Judge = judge,
            };
        }
    }

    private void CheckQuality(WindowAggregates v1, WindowAggregates v2, List<Breach> breaches, List<string> notes)
    {
        if (v1.MeanQuality is not { } q1 || v2.MeanQuality is not { } q2)
        {
            notes.Add("quality: no v1 samples in the window to compare against");
            return;
        }
        // Subtract in decimal so two means read from JSON give an exact drop (95.0 - 90.0 is 5.0, not 4.999…).
        var drop = (double)((decimal)q1 - (decimal)q2);
        if (drop > Options.QualityDropMax)
        {
            breaches.Add(Make(CheckNames.Quality, drop, Options.QualityDropMax,
                $"quality (V1: {F1(q1)}, V2: {F1(q2)}, drop: {F1(drop)})"));
        }
    }

    private void CheckCostSpike(WindowAggregates v1, WindowAggregates v2, List<Breach> breaches, List<string> notes)
    {
        var projected = Options.ProjectedCostCents ?? v1.MeanCostCents;
        if (projected is not { } p || p <= 0)
        {
            notes.Add("cost_spike: no projected cost (set projected_cost_cents or have v1 samples with a cost)");
            return;
        }
        var limit = Options.CostSpikeFactor * p;
        if (v2.MeanCostCents > limit)
        {
            breaches.Add(Make(CheckNames.CostSpike, v2.MeanCostCents.Value, limit,
                $"cost_spike (V2 mean: {Cents(v2.MeanCostCents.Value)}c > {Options.CostSpikeFactor.ToString("0.##", CultureInfo.InvariantCulture)}x projected {Cents(p)}c = {Cents(limit)}c)"));
        }
    }

    /// <summary>"sustained" means every evaluation over the duration breached; the streak restarts at the first clean evaluation.</summary>
    private static void Sustained(string check, bool breachingNow, ref DateTimeOffset? streakSince, TimeSpan duration, DateTimeOffset now,
        double value, double threshold, string reasonHead, List<Breach> breaches, List<Breach> pending)
    {
        if (!breachingNow)
        {
            streakSince = null;
            return;
        }
        streakSince ??= now;
        var lasted = now - streakSince.Value;
        if (lasted >= duration)
        {
            breaches.Add(Make(check, value, threshold, $"{reasonHead}, sustained {Span(lasted)} >= {Span(duration)})"));
        }
        else
        {
            pending.Add(Make(check, value, threshold, $"{reasonHead}, for {Span(lasted)} of {Span(duration)} needed)") with { Action = VerdictAction.Hold });
        }
    }

    private WindowAggregates WithRolling(Engine engine, WindowAggregates window, DateTimeOffset now)
    {
        var rolling = Aggregate(engine, WindowSpec.LastRuns(Options.FallbackWindowRuns), now, countsOnly: true);
        var complaints = Aggregate(engine, WindowSpec.LastDuration(Options.ComplaintsWindow), now, countsOnly: true);
        return window with
        {
            FallbackRateRolling = rolling.Count == 0 ? null : rolling.FallbackRate,
            ComplaintsPerHour = complaints.Complaints / Options.ComplaintsWindow.TotalHours,
        };
    }

    /// <summary>A window's aggregates; <paramref name="countsOnly"/> when only its counts are read (fallbacks, complaints), which a windowed store answers more cheaply.</summary>
    private WindowAggregates Aggregate(Engine engine, WindowSpec window, DateTimeOffset now, bool countsOnly = false)
    {
        if (_store is IWindowedMetricsStore windowed)
        {
            return countsOnly ? windowed.Counts(engine, window, now) : windowed.Aggregate(engine, window, now);
        }
        return WindowAggregates.Compute(Samples(engine, window, now));
    }

    private IEnumerable<Sample> Samples(Engine engine, WindowSpec window, DateTimeOffset now) =>
        window.Kind == WindowKind.Count
            ? _store.LastRuns(engine, window.Runs)
            : _store.Since(engine, now - window.Duration).Where(s => s.At <= now);

    private JudgeResult? RunJudge(DateTimeOffset now, List<string> notes)
    {
        var control = Samples(Engine.V1, Options.Window, now).ToList();
        var experiment = Samples(Engine.V2, Options.Window, now).ToList();
        if (control.Count == 0)
        {
            notes.Add("judge: no v1 samples in the window to compare against");
            return null;
        }
        return CanaryJudge.Judge(control, experiment, Options.Judge);
    }

    private static Breach Make(string check, double value, double threshold, string reason) =>
        new(check, value, threshold, reason, CheckNames.ActionFor(check));

    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    private static string Ms(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Cents(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Pct(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    internal static string Span(TimeSpan span) =>
        span.TotalHours >= 1 && span.Minutes == 0 && span.Seconds == 0 ? $"{span.TotalHours:0.##}h"
        : span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0.##}m"
        : $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
