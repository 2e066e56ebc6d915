using CanarySim.Core.Routing;

namespace CanarySim.Core.Tests.Routing;

/// <summary>The executor's rules once v2's run is known, the one function the executor and the simulator both follow.</summary>
public sealed class ExecutionOutcomeTests
{
    [TestCase(ExecutionPath.V1, false, Engine.V1, false, false)]
    [TestCase(ExecutionPath.V1, true, Engine.V1, false, false)]
    [TestCase(ExecutionPath.V2WithFallback, false, Engine.V2, false, false)]
    [TestCase(ExecutionPath.V2WithFallback, true, Engine.V1, true, false)]
    [TestCase(ExecutionPath.V1WithShadow, false, Engine.V1, false, false)]
    [TestCase(ExecutionPath.V1WithShadow, true, Engine.V1, false, true)]
    public void Who_answers_once_v2s_run_is_known(ExecutionPath path, bool v2Failed, Engine servedBy, bool fallback, bool shadowFailed)
    {
        var outcome = ExecutionOutcome.Resolve(path, v2Failed);
        Assert.That((outcome.ServedBy, outcome.Fallback, outcome.ShadowFailed, outcome.V1Ran),
            Is.EqualTo((servedBy, fallback, shadowFailed, servedBy == Engine.V1)));
    }

    [Test]
    public void An_undefined_path_is_refused() =>
        Assert.That(() => ExecutionOutcome.Resolve((ExecutionPath)7, v2Failed: false), Throws.TypeOf<ArgumentOutOfRangeException>());
}
