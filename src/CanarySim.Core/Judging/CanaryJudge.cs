using CanarySim.Core.Detection;

namespace CanarySim.Core.Judging;

/// <summary>Kayenta NetflixACAJudge semantics over v1 (control) and v2 (experiment) samples.</summary>
public static class CanaryJudge
{
    /// <summary>Judges the opted-in metrics of <paramref name="options"/>.</summary>
    public static JudgeResult Judge(IReadOnlyList<Sample> control, IReadOnlyList<Sample> experiment, JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotSupportedException("The statistical judge is not built yet.");
    }
}
