using CanarySim.Core.Judging;
using CanarySim.Core.Routing;

namespace CanarySim.Core.Detection;

/// <summary>
/// Evaluates the policy's declared checks (<see cref="DetectorOptions.Checks"/>, or the built-in
/// checks of the flat options) over the windows of the metric store and returns a
/// <see cref="Verdict"/> with every breach, its numbers and the most severe action. Keeps the state
/// sustained checks need (when each check's unbroken run of breaching evaluations began), so call
/// <see cref="Evaluate"/> at the cadence you want judged; time comes only from the
/// <see cref="TimeProvider"/>. Checks with a <see cref="CheckSource"/> read an
/// <see cref="IExternalMetricSource"/> through <see cref="EvaluateAsync"/>. Thread-safe
/// (evaluations are serialised).
/// </summary>
public sealed class RegressionDetector
{
    private readonly IMetricsStore _store;
    private readonly TimeProvider _time;
    private readonly IExternalMetricSource? _external;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _asyncLock = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _streaks = new(StringComparer.Ordinal);
    private WindowReader? _reader;
    private (WindowSpec Spec, string Text) _windowText;

    /// <summary>Creates a detector over <paramref name="store"/>; options default to the built-in policy, time to the system clock.</summary>
    /// <exception cref="PolicyException">A check reads an external source and none is given.</exception>
    public RegressionDetector(IMetricsStore store, DetectorOptions? options = null, TimeProvider? time = null, IExternalMetricSource? external = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Options = (options ?? new DetectorOptions()).EnsureValid();
        _time = time ?? TimeProvider.System;
        _external = external;
        Checks = Options.Checks ?? DefaultChecks.From(Options);
        HasExternalChecks = Checks.Any(c => c.Source?.Prometheus is not null);
        if (external is null && Checks.FirstOrDefault(c => c.Source?.Prometheus is not null) is { } sourced)
        {
            throw new PolicyException("<policy>", $"checks[{IndexOf(sourced)}] ({sourced.Name}).source",
                "the check reads from Prometheus but no Prometheus server was given (--prometheus URL)");
        }
    }

    /// <summary>The policy in force.</summary>
    public DetectorOptions Options { get; }

    /// <summary>The checks evaluated, in order.</summary>
    public IReadOnlyList<CheckDefinition> Checks { get; }

    /// <summary>True when some check reads an external source (use <see cref="EvaluateAsync"/>).</summary>
    public bool HasExternalChecks { get; }

    /// <summary>Forgets the sustained-breach history (e.g. after a manual re-enable).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _streaks.Clear();
        }
    }

    /// <summary>
    /// Runs one evaluation over the sample store. Exceptions of the metric store propagate: an
    /// <see cref="AnalysisRun"/> records them as error measurements, never as a pass.
    /// </summary>
    /// <exception cref="InvalidOperationException">A check reads an external source: call <see cref="EvaluateAsync"/>.</exception>
    public Verdict Evaluate()
    {
        if (HasExternalChecks)
        {
            throw new InvalidOperationException("The policy has checks that read Prometheus: call EvaluateAsync.");
        }
        lock (_lock)
        {
            return Judge(_time.GetUtcNow(), External.None);
        }
    }

    /// <summary>Queries every external check, then evaluates as <see cref="Evaluate"/> does; a failed query is an error of that check.</summary>
    public async Task<Verdict> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        await _asyncLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var external = await QueryAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                return Judge(_time.GetUtcNow(), external);
            }
        }
        finally
        {
            _asyncLock.Release();
        }
    }

    private async Task<External> QueryAsync(CancellationToken ct)
    {
        var result = new External();
        if (_external is null)
        {
            return result;
        }
        foreach (var c in Checks)
        {
            if (c.Source?.Prometheus is not { } query)
            {
                continue;
            }
            try
            {
                var side = DefaultChecks.SideOf(c);
                var value = await _external.QueryAsync(c, query.Replace("$engine", side == Engine.V1 ? "v1" : "v2", StringComparison.Ordinal), side, ct).ConfigureAwait(false);
                double? v1 = c.Compare is CheckCompare.Value || c.Baseline is not null
                    ? null
                    : await _external.QueryAsync(c, query.Replace("$engine", "v1", StringComparison.Ordinal), Engine.V1, ct).ConfigureAwait(false);
                result.Values[c.Name] = (v1, value);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // any failure of a metric provider is an error measurement of that check, whatever its type
            catch (Exception ex)
#pragma warning restore CA1031
            {
                result.Errors[c.Name] = ex.Message;
            }
        }
        return result;
    }

    private Verdict Judge(DateTimeOffset now, External external)
    {
        var o = Options;
        // Called under _lock: one reader serves every evaluation in turn.
        var reader = _reader ??= new WindowReader(_store, now);
        reader.Reset(now);
        if (_windowText.Text is null || _windowText.Spec != o.Window)
        {
            _windowText = (o.Window, o.Window.ToString());
        }
        var v1 = WithRolling(Engine.V1, reader.Window(Engine.V1, o.Window, countsOnly: false), reader);
        var v2 = WithRolling(Engine.V2, reader.Window(Engine.V2, o.Window, countsOnly: false), reader);
        var enough = v2.Count >= o.MinSamples;
        var run = new EvaluationState(reader, enough);
        if (!enough)
        {
            var anyCount = Checks.Where(c => c.MinSamples is not null || c.Source?.Prometheus is not null).Select(c => c.Name).ToList();
            run.Notes.Add($"min_samples (V2: {v2.Count} < {o.MinSamples}): {(anyCount.Count == 0 ? "no check is judged" : $"only {string.Join(", ", anyCount)} {(anyCount.Count == 1 ? "is" : "are")} judged")}");
        }
        // By index: a foreach over the interface would allocate an enumerator on every evaluation.
        for (var i = 0; i < Checks.Count; i++)
        {
            var c = Checks[i];
            if (external.Errors.TryGetValue(c.Name, out var error))
            {
                run.Errors.Add(new CheckError(c.Name, $"{c.Name}: {error}"));
                EndStreak(c.Name);
                continue;
            }
            if (c.Compare == CheckCompare.Judge)
            {
                JudgeCheck(c, run);
                continue;
            }
            external.Values.TryGetValue(c.Name, out var sourced);
            Check(c, run, c.Source?.Prometheus is null ? null : sourced);
        }

        VerdictOutcome outcome;
        VerdictAction action;
        if (run.Breaches.Count > 0)
        {
            outcome = VerdictOutcome.Fail;
            action = run.Breaches.Max(b => b.Action); // the most severe action wins
        }
        else if (run.Errors.Count > 0 || run.Inconclusive.Count > 0 || run.Pending.Count > 0)
        {
            outcome = VerdictOutcome.Inconclusive;
            action = VerdictAction.Hold;
        }
        else if (!enough || run.InsufficientChecks > 0)
        {
            outcome = VerdictOutcome.InsufficientData;
            action = VerdictAction.None;
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
            Breaches = run.Breaches,
            Pending = run.Pending,
            Inconclusive = run.Inconclusive,
            Errors = run.Errors,
            V1 = v1,
            V2 = v2,
            Samples = new SampleCounts(v1.Count, v2.Count),
            At = now,
            Window = _windowText.Text,
            Notes = run.Notes,
            Judge = run.Judge,
        };
    }

    private void Check(CheckDefinition c, EvaluationState run, (double? V1, double V2)? sourced)
    {
        var window = c.Window ?? Options.Window;
        double? v2;
        if (sourced is { } s)
        {
            v2 = s.V2;
        }
        else
        {
            if (c.MinSamples is null && !run.Enough)
            {
                EndStreak(c.Name); // an evaluation that could not judge is not a breaching one: the streak restarts
                return;
            }
            if (c.Confidence is not null)
            {
                JudgeInterval(c, window, run);
                return;
            }
            var side = DefaultChecks.SideOf(c);
            var (value, runs) = CheckValues.Read(c, side, window, run.Reader);
            if (value is null || runs < (c.MinSamples ?? 0))
            {
                run.Insufficient(CheckReasons.Insufficient(c, runs, window, side == Engine.V1));
                EndStreak(c.Name);
                return;
            }
            v2 = value;
        }

        double compared = v2.Value, v1Value = 0;
        double? v1 = null;
        if (c.Compare != CheckCompare.Value)
        {
            v1 = c.Baseline ?? sourced?.V1 ?? (sourced is null ? CheckValues.Read(c, Engine.V1, window, run.Reader).Value : null);
            var zero = c.Compare == CheckCompare.Ratio && v1 is <= 0;
            if (v1 is null || zero)
            {
                var note = CheckReasons.NoBaseline(c, zero, window);
                if (c.IfNoBaseline == MissingBaseline.Skip)
                {
                    run.Notes.Add(note);
                }
                else
                {
                    run.Insufficient(note);
                }
                EndStreak(c.Name);
                return;
            }
            v1Value = v1.Value;
            // Subtract in decimal so two means read from JSON give an exact difference (95.0 - 90.0 is 5.0, not 4.999…).
            compared = c.Compare switch
            {
                CheckCompare.Drop => (double)((decimal)v1Value - (decimal)v2.Value),
                CheckCompare.Increase => (double)((decimal)v2.Value - (decimal)v1Value),
                _ => v2.Value, // a ratio compares v2 with bound × v1, reported in the metric's own units
            };
        }
        var scale = c.Compare == CheckCompare.Ratio ? v1Value : 1;
        // Strict bounds: a value exactly at a bound is not a breach.
        var high = c.Max is { } max && compared > max * scale;
        var low = !high && c.Min is { } min && compared < min * scale;
        if (!high && !low)
        {
            EndStreak(c.Name);
            return;
        }
        var threshold = (high ? c.Max!.Value : c.Min!.Value) * scale;
        var reading = new CheckReasons.Reading(compared, threshold, v1, v2, low, window);
        Sustained(c, reading, run);
    }

    private void JudgeInterval(CheckDefinition c, WindowSpec window, EvaluationState run)
    {
        var outcome = IntervalCheck.Judge(c, window, run.Reader);
        if (outcome.Finding == IntervalCheck.Finding.Breach)
        {
            Sustained(c, outcome.Reading!.Value, run);
            return;
        }
        if (outcome.Finding == IntervalCheck.Finding.Insufficient || (outcome.Finding == IntervalCheck.Finding.NoBaseline && c.IfNoBaseline == MissingBaseline.Insufficient))
        {
            run.Insufficient(outcome.Note!);
        }
        else if (outcome.Note is { } note)
        {
            run.Notes.Add(note);
        }
        EndStreak(c.Name);
    }

    /// <summary>"Sustained" means every evaluation over the duration breached; the streak restarts at the first evaluation that does not.</summary>
    private void Sustained(CheckDefinition c, CheckReasons.Reading reading, EvaluationState run)
    {
        var now = run.Reader.Now;
        if (c.Sustain is not { } duration || duration <= TimeSpan.Zero)
        {
            run.Breaches.Add(new Breach(c.Name, reading.Value, reading.Threshold, CheckReasons.Format(c, reading, ""), c.Action));
            return;
        }
        if (!_streaks.TryGetValue(c.Name, out var since))
        {
            since = now;
            _streaks[c.Name] = now;
        }
        var lasted = now - since;
        if (lasted >= duration)
        {
            run.Breaches.Add(new Breach(c.Name, reading.Value, reading.Threshold,
                CheckReasons.Format(c, reading, $", sustained {CheckReasons.Span(lasted)} >= {CheckReasons.Span(duration)}"), c.Action));
        }
        else
        {
            run.Pending.Add(new Breach(c.Name, reading.Value, reading.Threshold,
                CheckReasons.Format(c, reading, $", for {CheckReasons.Span(lasted)} of {CheckReasons.Span(duration)} needed"), VerdictAction.Hold));
        }
    }

    private void JudgeCheck(CheckDefinition c, EvaluationState run)
    {
        if (c.MinSamples is null && !run.Enough)
        {
            return;
        }
        var window = c.Window ?? Options.Window;
        var control = Filter(run.Reader.Samples(Engine.V1, window), c);
        var experiment = Filter(run.Reader.Samples(Engine.V2, window), c);
        if (control.Count == 0)
        {
            var note = CheckReasons.NoBaseline(c, zero: false, window);
            if (c.IfNoBaseline == MissingBaseline.Skip)
            {
                run.Notes.Add(note);
            }
            else
            {
                run.Insufficient(note);
            }
            return;
        }
        var options = Options.Judge;
        if (c.Metric != "*")
        {
            options = options.Clone();
            var declared = Options.Judge.Metrics.FirstOrDefault(m => m.Name == c.Metric);
            options.Metrics = [declared ?? new JudgedMetric { Name = c.Metric, Direction = c.Max is null && c.Min is not null ? MetricDirection.Decrease : c.Min is null && c.Max is not null ? MetricDirection.Increase : MetricDirection.Either }];
        }
        var judge = CanaryJudge.Judge(control, experiment, options);
        run.Judge ??= judge;
        if (judge.Classification == JudgeClassification.Fail)
        {
            run.Breaches.Add(new Breach(c.Name, judge.Score, options.MarginalScore, $"{c.Name} ({judge.Reason})", c.Action));
        }
        else if (judge.Classification == JudgeClassification.Marginal)
        {
            run.Inconclusive.Add(new Breach(c.Name, judge.Score, options.PassScore, $"{c.Name} ({judge.Reason})", VerdictAction.Hold));
        }
    }

    private static List<Sample> Filter(IReadOnlyList<Sample> samples, CheckDefinition c)
    {
        if (c.Where.Count == 0)
        {
            return samples as List<Sample> ?? [.. samples];
        }
        var where = c.Where.ToArray();
        return samples.Where(s => SampleMetrics.Matches(s, where)).ToList();
    }

    /// <summary>The check's breaching streak (if any) is over; free when no check is in one, as in nearly every evaluation.</summary>
    private void EndStreak(string check)
    {
        if (_streaks.Count > 0)
        {
            _streaks.Remove(check);
        }
    }

    private WindowAggregates WithRolling(Engine engine, WindowAggregates window, WindowReader reader)
    {
        var rolling = reader.Window(engine, WindowSpec.LastRuns(Options.FallbackWindowRuns), countsOnly: true);
        var complaints = reader.Window(engine, WindowSpec.LastDuration(Options.ComplaintsWindow), countsOnly: true);
        return window with
        {
            FallbackRateRolling = rolling.Count == 0 ? null : rolling.FallbackRate,
            ComplaintsPerHour = complaints.Complaints / Options.ComplaintsWindow.TotalHours,
        };
    }

    private int IndexOf(CheckDefinition check)
    {
        for (var i = 0; i < Checks.Count; i++)
        {
            if (ReferenceEquals(Checks[i], check))
            {
                return i;
            }
        }
        return -1;
    }

    internal static string Span(TimeSpan span) => CheckReasons.Span(span);

    /// <summary>Values and errors of the external checks in one evaluation.</summary>
    private sealed class External
    {
        public static readonly External None = new();
        public Dictionary<string, (double? V1, double V2)> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>What one evaluation has found so far.</summary>
    private sealed class EvaluationState(WindowReader reader, bool enough)
    {
        public WindowReader Reader { get; } = reader;
        public bool Enough { get; } = enough;
        public List<Breach> Breaches { get; } = [];
        public List<Breach> Pending { get; } = [];
        public List<Breach> Inconclusive { get; } = [];
        public List<CheckError> Errors { get; } = [];
        public List<string> Notes { get; } = [];
        public int InsufficientChecks { get; private set; }
        public JudgeResult? Judge { get; set; }

        public void Insufficient(string note)
        {
            InsufficientChecks++;
            Notes.Add(note);
        }
    }
}
