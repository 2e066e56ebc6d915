namespace CanarySim.Service;

/// <summary>What an instance serves when it has not seen the fleet store for longer than the staleness limit.</summary>
public enum StaleSettingsMode
{
    /// <summary>Kill switch semantics: every request goes to v1 until the store is back.</summary>
    FailSafe,

    /// <summary>Keep serving the last known settings.</summary>
    LastKnown,
}
