namespace CanarySim.Service.Auth;

/// <summary>What the token a request presents grants.</summary>
public enum Access
{
    /// <summary>No <c>Authorization: Bearer</c> header (none, or another scheme).</summary>
    None,

    /// <summary>A bearer token that matches neither token.</summary>
    Invalid,

    /// <summary>The app token.</summary>
    App,

    /// <summary>The ops token (or insecure dev mode without one).</summary>
    Ops,
}
