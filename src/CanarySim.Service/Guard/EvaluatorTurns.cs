using System.Text.Json.Nodes;
using CanarySim.Core.Rollback;

namespace CanarySim.Service.Guard;

/// <summary>
/// Exactly one instance of a fleet evaluates: the holder of the <c>evaluator</c> lock. Each evaluation
/// asks for its turn; the other instances skip their background and ingest turns and refuse API
/// evaluations, and the holder's rollbacks reach them through the settings store. A holder that loses
/// its lock (store unreachable, connection gone) stops evaluating until it gets it back.
/// </summary>
internal sealed class EvaluatorTurns(ILeaderLock evaluatorLock, string instance, ILogger log) : IDisposable
{
    private long _skipped;

    /// <summary>Whether this instance held the lock at its last turn.</summary>
    public bool IsHeld => evaluatorLock.IsHeld;

    /// <summary>Background and ingest turns skipped because another instance holds the lock.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>True when this instance may evaluate now; otherwise <paramref name="skipped"/> is the answer of a skipped turn.</summary>
    /// <exception cref="NotEvaluatorException">An API evaluation (<paramref name="trigger"/> <c>api</c>) while another instance holds the lock.</exception>
    public bool TryTake(string trigger, out JsonObject skipped)
    {
        var wasHolder = evaluatorLock.IsHeld;
        if (evaluatorLock.TryAcquire())
        {
            if (!wasHolder)
            {
                log.LogInformation("instance {Instance} is now the fleet's evaluator", instance);
            }
            skipped = null!;
            return true;
        }
        if (wasHolder)
        {
            log.LogWarning("instance {Instance} lost the evaluator lock (store unreachable or taken over): it stops evaluating", instance);
        }
        if (trigger == "api")
        {
            throw new NotEvaluatorException($"instance '{instance}' is not the fleet's evaluator: another instance holds the evaluator lock and evaluates; ask that instance, or read its verdict in the history");
        }
        Interlocked.Increment(ref _skipped);
        skipped = new JsonObject
        {
            ["verdict"] = "skipped",
            ["action"] = "none",
            ["action_taken"] = "none",
            ["trigger"] = trigger,
            ["reason"] = "another instance holds the evaluator lock",
        };
        return false;
    }

    public void Dispose() => evaluatorLock.Dispose();
}
