using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CanarySim.Http;

/// <summary>
/// The resilience every outbound HTTP call of the guard uses (compiled into each assembly that calls out):
/// each attempt under its own timeout, and a failed or timed-out attempt retried with exponential backoff
/// (no jitter, so a fake clock replays it exactly).
/// </summary>
internal static class HttpRetryPipeline
{
    /// <summary>Builds the pipeline on <paramref name="time"/>; no retry when <paramref name="maxRetryAttempts"/> is 0.</summary>
    public static ResiliencePipeline Build(TimeProvider time, int maxRetryAttempts, TimeSpan retryDelay, TimeSpan attemptTimeout)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (maxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = maxRetryAttempts,
                Delay = retryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
            });
        }
        return builder.AddTimeout(attemptTimeout).Build();
    }
}
