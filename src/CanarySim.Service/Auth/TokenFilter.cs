namespace CanarySim.Service.Auth;

/// <summary>
/// Checks the token of every endpoint that carries a <see cref="TokenScope"/>: no token → 401 (with
/// <c>WWW-Authenticate: Bearer</c>), a wrong or insufficient one → 403. Nothing runs before the check.
/// </summary>
internal sealed class TokenFilter(GuardAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<TokenScopeMetadata>()?.Scope ?? TokenScope.Ops;
        var granted = access.Identify(http.Request);
        if (!GuardAccess.Allows(scope, granted))
        {
            return GuardAccess.Refuse(http, scope, granted);
        }
        http.Items[typeof(Access)] = granted;
        return await next(context);
    }
}
