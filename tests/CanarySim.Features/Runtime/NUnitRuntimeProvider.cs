using Reqnroll.UnitTestProvider;

namespace CanarySim.Features.Runtime;

/// <summary>Maps Reqnroll's pending, inconclusive and ignored outcomes onto NUnit's.</summary>
public sealed class NUnitRuntimeProvider : IUnitTestRuntimeProvider
{
    /// <inheritdoc/>
    public void TestPending(string message) => Assert.Inconclusive(message);

    /// <inheritdoc/>
    public void TestInconclusive(string message) => Assert.Inconclusive(message);

    /// <inheritdoc/>
    public void TestIgnore(string message) => Assert.Ignore(message);

    /// <inheritdoc/>
    public ScenarioExecutionStatus? DetectExecutionStatus(Exception exception) =>
        exception is InconclusiveException or IgnoreException ? ScenarioExecutionStatus.Skipped : null;
}
