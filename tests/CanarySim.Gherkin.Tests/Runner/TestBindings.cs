namespace CanarySim.Gherkin.Tests.Runner;

/// <summary>Colours for the enum conversion tests.</summary>
public enum Mode
{
    /// <summary>Only v1.</summary>
    Primary,

    /// <summary>Split traffic.</summary>
    Canary,

    /// <summary>A two-word member.</summary>
    KillSwitchOn,
}

/// <summary>A row type for CreateSet.</summary>
public sealed record SampleRow(string Engine, double Quality, TimeSpan Latency)
{
    /// <summary>Optional flag set from a column through its property.</summary>
    public bool Error { get; set; }
}

/// <summary>Bindings receiving typed values.</summary>
[Binding]
public sealed class TypedSteps(Probe probe)
{
    /// <summary>Receives an int and a long.</summary>
    [Given(@"^(\d+) requests and (\d+) tokens$")]
    public void Counts(int requests, long tokens) => probe.Values.AddRange([requests, tokens]);

    /// <summary>Receives numbers with and without %.</summary>
    [Given(@"^canary at (\d+(?:\.\d+)?%) with quality (-?\d+(?:\.\d+)?) and cost ([\d.]+)$")]
    public void Numbers(double pct, double quality, decimal cost) => probe.Values.AddRange([pct, quality, cost]);

    /// <summary>Receives a bool and an enum.</summary>
    [Given(@"^the kill switch is (on|off) in (\w+(?: \w+)*) mode$")]
    public void Flags(bool on, Mode mode) => probe.Values.AddRange([on, mode]);

    /// <summary>Receives a duration.</summary>
    [When(@"^(\d+(?:\.\d+)? ?(?:ms|s|min|minutes|hours?|days?)) pass$")]
    public void Wait(TimeSpan span) => probe.Values.Add(span);

    /// <summary>Receives a quoted string.</summary>
    [Then(@"^the reason reads ""([^""]*)""$")]
    public void Reason(string reason) => probe.Values.Add(reason);

    /// <summary>Receives a table.</summary>
    [Given(@"^these samples:$")]
    public void Samples(DataTable table)
    {
        probe.Values.Add(table.Rows[0].Get<double>("quality"));
        probe.Values.Add(table.Rows[1].Get<TimeSpan>("latency"));
        probe.Values.AddRange(table.CreateSet<SampleRow>());
    }

    /// <summary>Receives a doc string after a capture.</summary>
    [Given(@"^a file named (\S+) containing:$")]
    public void File(string name, string content) => probe.Values.AddRange([name, content]);

    /// <summary>Asynchronous step.</summary>
    [Then(@"^an async step runs$")]
    public async Task Async()
    {
        await Task.Yield();
        probe.Log.Add("async");
    }
}

/// <summary>Steps that log, pass, fail; hooks.</summary>
[Binding]
public sealed class FlowSteps(Probe probe, ScenarioContext context)
{
    /// <summary>Logs a word.</summary>
    [Given(@"^I log ""(.*)""$")]
    [When(@"^I log ""(.*)""$")]
    [Then(@"^I log ""(.*)""$")]
    public void LogWord(string word) => probe.Log.Add(word);

    /// <summary>Checks the p95 against a threshold with NUnit.</summary>
    [Then(@"^the p95 latency (\d+)ms is below (\d+)ms$")]
    public static void Below(int p95, int threshold) =>
        Assert.That(p95, Is.LessThan(threshold), $"p95 {p95}ms must stay below the {threshold}ms threshold");

    /// <summary>Throws a non-assertion error.</summary>
    [When(@"^the engine crashes$")]
    public static void Crash() => throw new InvalidOperationException("engine v2 returned 500");

    /// <summary>Attaches evidence.</summary>
    [Then(@"^evidence ""(.*)"" is attached$")]
    public void Evidence(string text) => context.Attach("note", text);

    /// <summary>Runs before every scenario.</summary>
    [BeforeScenario]
    public void Before() => probe.Log.Add("before:" + context.Scenario.Name);

    /// <summary>Runs before @smoke scenarios only.</summary>
    [BeforeScenario("smoke")]
    public void BeforeSmoke() => probe.Log.Add("before-smoke");

    /// <summary>Runs after every scenario.</summary>
    [AfterScenario]
    public void After() => probe.Log.Add("after");
}

/// <summary>Per-scenario state shared by two binding classes.</summary>
public sealed class Counter : IDisposable
{
    /// <summary>The count.</summary>
    public int Value { get; set; }

    /// <summary>Whether disposed.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc/>
    public void Dispose() => Disposed = true;
}

/// <summary>Increments the shared counter.</summary>
[Binding]
public sealed class CounterSteps(Counter counter, Probe probe)
{
    /// <summary>Adds one.</summary>
    [When(@"^I add one$")]
    public void Add()
    {
        counter.Value++;
        probe.Values.Add(counter);
    }
}

/// <summary>Reads the shared counter from another class.</summary>
[Binding]
public sealed class CounterChecks(Counter counter)
{
    /// <summary>Checks the count.</summary>
    [Then(@"^the count is (\d+)$")]
    public void Count(int expected) => Assert.That(counter.Value, Is.EqualTo(expected));
}

/// <summary>A step that collides with <see cref="FlowSteps.LogWord"/>.</summary>
[Binding]
public sealed class CollidingSteps
{
    /// <summary>Overlaps with I log "(.*)".</summary>
    [Given(@"^I log ""hello""$")]
    public void Hello()
    {
    }
}

/// <summary>Patterns exercising the catalog's example generator.</summary>
[Binding]
public sealed class CatalogSteps
{
    /// <summary>Plural letter kept, counted quantifier repeated.</summary>
    [Given(@"^(\d+) missions? arrived within (\d{2}) min$")]
    public void Arrived(int missions, int minutes)
    {
    }
}
