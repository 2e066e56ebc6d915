using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>
/// What stored router settings must satisfy. Checked on every change, on the settings about to be
/// stored, inside the compare-and-set every change goes through — so no path (API, CLI, rollout,
/// auto-rollback) can store settings the router should not serve. Out-of-range input is rejected,
/// never clamped.
/// </summary>
public static class RouterSettingsRules
{
    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the first field the change from
    /// <paramref name="before"/> to <paramref name="after"/> sets to a value breaking a rule. Values the
    /// change leaves as they were are not judged again, so a rollback never fails on what an older
    /// store holds.
    /// </summary>
    public static void Validate(RouterSettings before, RouterSettings after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!after.CanaryPct.Equals(before.CanaryPct))
        {
            RequirePct(after.CanaryPct, "canary_pct");
        }
        foreach (var (segment, o) in after.Segments)
        {
            if (o.CanaryPct is { } pct && !(before.Segments.TryGetValue(segment, out var was) && pct.Equals(was.CanaryPct)))
            {
                RequirePct(pct, $"segments.{segment}.canary_pct");
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="pct"/> is a finite number from 0 to 100.</summary>
    public static void RequirePct(double pct, string name)
    {
        if (!double.IsFinite(pct) || pct < 0 || pct > 100)
        {
            throw new ArgumentOutOfRangeException(name, pct, $"{name} must be a number between 0 and 100, got {pct}.");
        }
    }
}
