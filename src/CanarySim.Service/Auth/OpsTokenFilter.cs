using CanarySim.Service.Api;

namespace CanarySim.Service.Auth;

/// <summary>
/// SPEC §5: guards mutating endpoints. No or malformed <c>Authorization: Bearer</c> header → 401
/// (with <c>WWW-Authenticate: Bearer</c>); a wrong token → 403. Nothing runs before the check.
/// </summary>
internal sealed class OpsTokenFilter(OpsToken token) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!token.Required)
        {
            return await next(context);
        }
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.Length <= scheme.Length || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"canarysim-guard\"";
            return ApiErrors.Problem(StatusCodes.Status401Unauthorized, "unauthorized",
                "this endpoint needs the ops token: send 'Authorization: Bearer <token>'");
        }
        if (!token.Matches(header.AsSpan(scheme.Length).Trim()))
        {
            return ApiErrors.Problem(StatusCodes.Status403Forbidden, "forbidden", "the ops token is not valid");
        }
        return await next(context);
    }
}
