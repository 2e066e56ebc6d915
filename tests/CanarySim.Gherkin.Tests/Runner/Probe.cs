namespace CanarySim.Gherkin.Tests.Runner;

/// <summary>Per-scenario log the test bindings write to, so tests can see what ran.</summary>
public sealed class Probe : IDisposable
{
    /// <summary>What the bindings recorded, in order.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Values the bindings received.</summary>
    public List<object?> Values { get; } = [];

    /// <summary>Set when the container disposed this probe.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Disposed = true;
        Log.Add("disposed");
    }
}
