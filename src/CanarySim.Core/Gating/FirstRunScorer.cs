namespace CanarySim.Core.Gating;

/// <summary>
/// First-run-only scoring: for each (case, role) the earliest first run across all inputs
/// wins; diagnostic reruns and later first runs are counted, never scored. Ties on
/// <c>started_at</c> break on input name then case index, so the order of inputs never matters.
/// </summary>
public sealed class FirstRunScorer
{
    private readonly Dictionary<(string CaseId, UatRole Role), ScoredCase> _winners = new();
    private readonly List<UatArtifactHeader> _inputs = [];

    /// <summary>Every case result read.</summary>
    public int CasesTotal { get; private set; }

    /// <summary>Diagnostic reruns, counted and ignored.</summary>
    public int DiagnosticIgnored { get; private set; }

    /// <summary>First runs that lost to an earlier first run of the same (case, role).</summary>
    public int Superseded { get; private set; }

    /// <summary>The inputs read so far, in the order given.</summary>
    public IReadOnlyList<UatArtifactHeader> Inputs => _inputs;

    /// <summary>The winning first run of each (case, role), ordered by case id then role.</summary>
    public IReadOnlyList<ScoredCase> Winners() =>
        _winners.Values.OrderBy(w => w.Case.CaseId, StringComparer.Ordinal).ThenBy(w => w.Case.Role).ToList();

    /// <summary>Streams one input into the scoring; throws <see cref="UatArtifactException"/> on bad input.</summary>
    public void Add(UatArtifactInput input)
    {
        Stream stream;
        try
        {
            stream = input.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UatArtifactException(input.Name, $"could not be opened: {ex.Message}", inner: ex);
        }
        using (stream)
        {
            var reader = new UatArtifactReader(stream, input.Name);
            foreach (var item in reader.ReadCases())
            {
                Add(item, input.Name);
            }
            _inputs.Add(reader.Header!);
        }
    }

    /// <summary>Scores one case result read from <paramref name="source"/>.</summary>
    public void Add(UatCase item, string source)
    {
        CasesTotal++;
        if (item.RunKind == UatRunKind.Diagnostic)
        {
            DiagnosticIgnored++;
            return;
        }
        var candidate = new ScoredCase(item, source);
        var key = (item.CaseId, item.Role);
        if (_winners.TryGetValue(key, out var current))
        {
            Superseded++;
            if (!Earlier(candidate, current))
            {
                return;
            }
        }
        _winners[key] = candidate;
    }

    private static bool Earlier(ScoredCase a, ScoredCase b)
    {
        var byTime = a.Case.StartedAt.CompareTo(b.Case.StartedAt);
        if (byTime != 0)
        {
            return byTime < 0;
        }
        var bySource = string.CompareOrdinal(a.Source, b.Source);
        return bySource != 0 ? bySource < 0 : a.Case.Index < b.Case.Index;
    }
}
