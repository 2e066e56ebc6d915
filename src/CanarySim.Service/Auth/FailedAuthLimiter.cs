using System.Globalization;
using System.Threading.RateLimiting;
using CanarySim.Service.Api;
using Microsoft.AspNetCore.RateLimiting;

namespace CanarySim.Service.Auth;

/// <summary>
/// Throttles token guessing with ASP.NET Core's rate limiter: a request whose token will be refused
/// (none where one is needed, a wrong one, or the app token on an ops endpoint) takes a permit from a
/// token bucket of its client address; requests with a good token never do. An empty bucket answers
/// 429 with <c>Retry-After</c> before the token is even compared.
/// </summary>
internal static class FailedAuthLimiter
{
    public const string Policy = "failed-auth";

    public static IServiceCollection AddFailedAuthLimiter(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiErrors.Problem(StatusCodes.Status429TooManyRequests, "too_many_requests",
                    $"too many requests with a missing or wrong token from this address; retry after {seconds} s").ExecuteAsync(http);
            };
            o.AddPolicy(Policy, Partition);
        });
        return services;
    }

    /// <summary>Marks endpoints as needing <paramref name="scope"/>: metadata, the token check and the throttle.</summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder, TokenScope scope)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new TokenScopeMetadata(scope));
        builder.AddEndpointFilter<TBuilder, TokenFilter>();
        builder.RequireRateLimiting(Policy);
        return builder;
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var access = http.RequestServices.GetRequiredService<GuardAccess>();
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<TokenScopeMetadata>()?.Scope ?? TokenScope.Ops;
        if (GuardAccess.Allows(scope, access.Identify(http.Request)))
        {
            return RateLimitPartition.GetNoLimiter("allowed");
        }
        var o = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GuardServiceOptions>>().Value;
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.FailedAuthBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = o.FailedAuthInterval,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
