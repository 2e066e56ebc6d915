using System.Globalization;
using System.Text;
using CanarySim.Core.Detection;
using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>
/// Stands in for the application's own log in the evidence log (plan <c>evidence.app_log</c>): the
/// <c>[STARTUP]</c> lines of a (re)start — engine and kill switch —, and per window a <c>[V2-SUMMARY]</c> of v2's
/// traffic, a <c>[V2-METRICS]</c> line with the v2 runs' application metrics (a bool metric as the share of runs
/// that reported it, a number as its mean; per agent for every metric a policy check filters by agent) and, when
/// v2 runs reported <c>anomaly</c>, a <c>[V2-ANOMALY]</c> line with their count and the first one. The same lines,
/// one per line and stamped with the time they were written (the kickoff, or the end of the window they summarise),
/// make up the app's own log file (<see cref="Lines"/>).
/// </summary>
internal sealed class AppLogRecorder
{
    private const string AnomalyMetric = "anomaly";

    private readonly string[] _metrics;
    private readonly (int Metric, string Agent)[] _perAgent;
    private readonly double[] _sum;
    private readonly bool[] _bool;
    private readonly long[] _agentRuns;
    private readonly double[] _agentSum;
    private readonly int _anomaly;
    private long _runs, _anomalies;
    private DateTimeOffset? _firstAnomaly;
    private string? _firstAnomalyAgent;
    private bool? _killSwitchLogged;
    private IntervalCounts _counts;
    private readonly List<string> _lines = [];

    public AppLogRecorder(RunMetrics metrics, DetectorOptions policy)
    {
        _metrics = [.. metrics.Names];
        _perAgent = (policy.Checks ?? [])
            .Where(c => c.Where.TryGetValue("agent", out _) && Array.IndexOf(_metrics, c.Metric) >= 0)
            .Select(c => (Array.IndexOf(_metrics, c.Metric), c.Where["agent"]))
            .Distinct()
            .ToArray();
        _sum = new double[_metrics.Length];
        _bool = Enumerable.Repeat(true, _metrics.Length).ToArray();
        _agentRuns = new long[_perAgent.Length];
        _agentSum = new double[_perAgent.Length];
        _anomaly = Array.IndexOf(_metrics, AnomalyMetric);
    }

    /// <summary>The app's log so far: one timestamped line per <c>[STARTUP]</c>, <c>[V2-SUMMARY]</c>, <c>[V2-METRICS]</c> and <c>[V2-ANOMALY]</c> entry.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Counts an interval's traffic for the window's <c>[V2-SUMMARY]</c>.</summary>
    public void Add(in IntervalCounts counts) => _counts.Add(counts);

    /// <summary>Counts one v2 run's metrics.</summary>
    public void Add(Sample sample)
    {
        _runs++;
        var m = sample.Metrics;
        for (var i = 0; i < _metrics.Length; i++)
        {
            var v = m is not null && m.TryGetValue(_metrics[i], out var x) ? x : 0;
            _sum[i] += v;
            _bool[i] &= v is 0 or 1;
        }
        for (var k = 0; k < _perAgent.Length; k++)
        {
            if (sample.Agent == _perAgent[k].Agent)
            {
                _agentRuns[k]++;
                _agentSum[k] += m is not null && m.TryGetValue(_metrics[_perAgent[k].Metric], out var x) ? x : 0;
            }
        }
        if (_anomaly >= 0 && m is not null && m.TryGetValue(AnomalyMetric, out var a) && a != 0)
        {
            _anomalies++;
            if (_firstAnomaly is null)
            {
                _firstAnomaly = sample.At;
                _firstAnomalyAgent = sample.Agent;
            }
        }
    }

    /// <summary>The <c>[STARTUP]</c> lines when the app (re)starts with this kill switch at <paramref name="at"/>, or nothing when it did not change.</summary>
    public string? Startup(bool killSwitch, DateTimeOffset at)
    {
        if (_killSwitchLogged == killSwitch)
        {
            return null;
        }
        _killSwitchLogged = killSwitch;
        string[] lines = ["[STARTUP] Conversation engine: v2", $"[STARTUP] Kill switch active: {(killSwitch ? "True" : "False")}"];
        Log(at, lines);
        return string.Join("; ", lines);
    }

    /// <summary>The window's lines, ending at <paramref name="at"/> (then starts the next window).</summary>
    public string Flush(double? p95Ms, bool killSwitch, DateTimeOffset at)
    {
        var c = _counts;
        _counts = default;
        var startup = Startup(killSwitch, at);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"[V2-SUMMARY] engineVersion=v2 runs={c.V2Runs} served={c.V2Served} fallbacks={c.V2Fallbacks} fallback_rate={EvidenceLog.FormatRate(c.V2Runs == 0 ? null : (double)c.V2Fallbacks / c.V2Runs)} p95={EvidenceLog.FormatP95(p95Ms)}"),
        };
        if (_metrics.Length > 0)
        {
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"[V2-METRICS] runs={_runs}");
            for (var i = 0; i < _metrics.Length; i++)
            {
                line.Append(' ').Append(_metrics[i]).Append('=').Append(Show(i, _sum[i], _runs));
                for (var k = 0; k < _perAgent.Length; k++)
                {
                    if (_perAgent[k].Metric == i)
                    {
                        line.Append(" (").Append(_perAgent[k].Agent).Append(' ').Append(Show(i, _agentSum[k], _agentRuns[k])).Append(')');
                    }
                }
            }
            lines.Add(line.ToString());
        }
        if (_anomalies > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"[V2-ANOMALY] {_anomalies} v2 run{(_anomalies == 1 ? "" : "s")} reported an anomaly, the first at {Stamp(_firstAnomaly!.Value)}{(_firstAnomalyAgent is { } a ? " (" + a + ")" : "")}"));
        }
        Log(at, lines);
        _runs = _anomalies = 0;
        _firstAnomaly = null;
        _firstAnomalyAgent = null;
        Array.Clear(_sum);
        Array.Fill(_bool, true);
        Array.Clear(_agentRuns);
        Array.Clear(_agentSum);
        return (startup is null ? "" : startup + "; ") + string.Join("; ", lines);
    }

    private void Log(DateTimeOffset at, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            _lines.Add(Stamp(at) + " " + line);
        }
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private string Show(int metric, double sum, long runs)
    {
        if (runs == 0)
        {
            return "n/a";
        }
        var mean = sum / runs;
        return _bool[metric]
            ? (mean * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : mean.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
