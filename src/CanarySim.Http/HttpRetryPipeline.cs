using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CanarySim.Http;

/// <summary>
/// The resilience of every outbound HTTP call: each attempt runs under its own timeout, and an attempt that
/// failed to connect, timed out, or whose answer the caller turned into an <see cref="HttpRequestException"/>
/// (e.g. HTTP 5xx) is retried with exponential back-off, without jitter so a fake clock replays it exactly.
/// </summary>
public static class HttpRetryPipeline
{
    /// <summary>Builds the pipeline on <paramref name="time"/>; no retry when <paramref name="maxRetryAttempts"/> is 0.</summary>
    /// <param name="time">Clock for the attempt timeout and the retry delays.</param>
    /// <param name="maxRetryAttempts">Retries after the first attempt.</param>
    /// <param name="retryDelay">Delay before the first retry; it doubles for each next one.</param>
    /// <param name="attemptTimeout">Patience for one attempt; running out raises <see cref="TimeoutRejectedException"/>.</param>
    public static ResiliencePipeline Build(TimeProvider time, int maxRetryAttempts, TimeSpan retryDelay, TimeSpan attemptTimeout)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetryAttempts);
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

    /// <summary>How many attempts were made, in words for an error message: <c>1 attempt</c>, <c>3 attempts</c>.</summary>
    public static string Tries(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";
}
