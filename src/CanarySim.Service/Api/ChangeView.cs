using CanarySim.Core;
using CanarySim.Core.Rollback;

namespace CanarySim.Service.Api;

/// <summary>One settings-history entry (config change, rollback, re-enable) as the API and the dashboard timeline show it.</summary>
/// <param name="Sequence">Store sequence number.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who (<c>auto</c> for the rollback controller).</param>
/// <param name="Kind">config, rollback, reduce_traffic, pause, re_enable, init.</param>
/// <param name="Reason">Why.</param>
/// <param name="Before">Settings before.</param>
/// <param name="After">Settings after.</param>
/// <param name="Breaches">Breach reasons behind an automatic change.</param>
/// <param name="Version">The settings version the change stored (the same number as <paramref name="Sequence"/>).</param>
/// <param name="Instance">The router instance that made the change.</param>
public sealed record ChangeView(long Sequence, DateTimeOffset At, string Actor, string Kind, string Reason, SettingsView Before, SettingsView After, IReadOnlyList<string> Breaches,
    long Version, string Instance)
{
    /// <summary>Maps a stored change.</summary>
    public static ChangeView From(SettingsChange c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new ChangeView(c.Sequence, c.At, c.Actor, WireName.Of(c.Kind), c.Reason, SettingsView.From(c.Before), SettingsView.From(c.After), c.Breaches, c.Version, c.Instance);
    }
}
