using CanarySim.Service.Api;

namespace CanarySim.Service.Auth;

/// <summary>
/// The two tokens and the one rule that reads them: what the <c>Authorization: Bearer</c> header of a
/// request grants, and whether that is enough for an endpoint's <see cref="TokenScope"/>.
/// </summary>
public sealed class GuardAccess(AccessToken ops, AccessToken? app)
{
    private const string Scheme = "Bearer ";

    /// <summary>The ops token.</summary>
    public AccessToken Ops { get; } = ops ?? throw new ArgumentNullException(nameof(ops));

    /// <summary>The app token, when one is configured.</summary>
    public AccessToken? App { get; } = app;

    /// <summary>What the request's token grants.</summary>
    public Access Identify(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (!Ops.Required)
        {
            return Access.Ops;
        }
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme (Basic, …) presents no bearer token at all.
            return Access.None;
        }
        var presented = header.AsSpan(Scheme.Length).Trim();
        return Ops.Matches(presented) ? Access.Ops
            : App is { } app && app.Matches(presented) ? Access.App
            : Access.Invalid;
    }

    /// <summary>Whether a request with <paramref name="access"/> may call an endpoint of <paramref name="scope"/>.</summary>
    public static bool Allows(TokenScope scope, Access access) => scope switch
    {
        TokenScope.Optional => access != Access.Invalid,
        TokenScope.App => access is Access.App or Access.Ops,
        _ => access == Access.Ops,
    };

    /// <summary>The answer to a request that is not allowed: 401 without a token, 403 with a wrong or insufficient one.</summary>
    public static IResult Refuse(HttpContext http, TokenScope scope, Access access)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (access is Access.None)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"canarysim-guard\"";
            return ApiErrors.Problem(StatusCodes.Status401Unauthorized, "unauthorized",
                scope == TokenScope.App
                    ? "this endpoint needs the app token or the ops token: send 'Authorization: Bearer <token>'"
                    : "this endpoint needs the ops token: send 'Authorization: Bearer <token>'");
        }
        return access == Access.App
            ? ApiErrors.Problem(StatusCodes.Status403Forbidden, "forbidden", "the app token may only route, post samples and post diffs; this endpoint needs the ops token")
            : ApiErrors.Problem(StatusCodes.Status403Forbidden, "forbidden", "the token is not valid");
    }
}
