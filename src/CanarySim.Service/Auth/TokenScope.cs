namespace CanarySim.Service.Auth;

/// <summary>Which token an endpoint needs; attached to the endpoint as metadata.</summary>
public enum TokenScope
{
    /// <summary>No token needed; a token that is given must be valid (it unlocks the unredacted answer).</summary>
    Optional,

    /// <summary>The app token or the ops token: routing, samples, diffs.</summary>
    App,

    /// <summary>The ops token only.</summary>
    Ops,
}
