using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework.Internal;

namespace CanarySim.Gherkin;

/// <summary>
/// Runs one <see cref="ScenarioCase"/>: matches every step to exactly one definition, builds the
/// binding classes in a fresh per-scenario <see cref="ObjectContainer"/>, runs the before hooks,
/// the steps (stopping at the first failure) and the after hooks.
/// </summary>
public sealed class ScenarioRunner
{
    private readonly BindingRegistry registry;
    private readonly ObjectContainer? testRun;

    /// <summary>Creates a runner over <paramref name="registry"/>; <paramref name="testRun"/> holds objects shared by every scenario.</summary>
    public ScenarioRunner(BindingRegistry registry, ObjectContainer? testRun = null)
    {
        this.registry = registry;
        this.testRun = testRun;
    }

    /// <summary>Runs the scenario; never throws for a failing scenario (see <see cref="ScenarioResult.Error"/>).</summary>
    public async Task<ScenarioResult> RunAsync(ScenarioCase scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var clock = Stopwatch.StartNew();
        var context = new ScenarioContext(scenario);
        if (scenario.HasTag("ignore"))
        {
            var reason = $"ignored by the @ignore tag at {scenario.Location}";
            return new ScenarioResult(scenario, StepStatus.Skipped,
                [.. scenario.Steps.Select(s => new StepResult(s, StepStatus.Skipped, TimeSpan.Zero, null, null))],
                clock.Elapsed, reason, []);
        }
        if (scenario.Steps.Count == 0)
        {
            return new ScenarioResult(scenario, StepStatus.Failed, [], clock.Elapsed, $"{scenario.Location}: the scenario has no steps", []);
        }

        // Match every step first, so one run reports every undefined or ambiguous step at once.
        var matches = scenario.Steps.Select(s => (Step: s, Found: registry.FindMatches(s.Kind, s.Text))).ToList();
        var unmatched = matches.Where(m => m.Found.Count != 1).ToList();
        if (unmatched.Count > 0)
        {
            var results = matches.Select(m => m.Found.Count switch
            {
                1 => new StepResult(m.Step, StepStatus.Skipped, TimeSpan.Zero, null, m.Found[0].Definition.MethodName),
                0 => new StepResult(m.Step, StepStatus.Undefined, TimeSpan.Zero, Undefined(scenario, m.Step), null),
                _ => new StepResult(m.Step, StepStatus.Ambiguous, TimeSpan.Zero, Ambiguous(scenario, m.Step, m.Found), null),
            }).ToList();
            var message = string.Join(Environment.NewLine, results.Where(r => r.Error is not null).Select(r => r.Error));
            return new ScenarioResult(scenario, StepStatus.Failed, results, clock.Elapsed, message, []);
        }

        var container = new ObjectContainer(testRun);
        container.RegisterInstanceAs(context);
        container.RegisterInstanceAs(scenario);
        var stepResults = new List<StepResult>();
        string? error = null;
        try
        {
            foreach (var hook in registry.Hooks(before: true, scenario))
            {
                error ??= await Guard(() => InvokeHookAsync(container, hook)).ConfigureAwait(false) is { } e
                    ? $"{scenario.Location}: [BeforeScenario] {hook.DeclaringType?.Name}.{hook.Name} failed: {e}"
                    : null;
            }
            foreach (var (step, found) in matches)
            {
                var (definition, match) = found[0];
                if (error is not null)
                {
                    stepResults.Add(new StepResult(step, StepStatus.Skipped, TimeSpan.Zero, null, definition.MethodName));
                    continue;
                }
                var stepClock = Stopwatch.StartNew();
                var failure = await Guard(() => InvokeStepAsync(container, definition, match, step)).ConfigureAwait(false);
                if (failure is not null)
                {
                    error = $"{scenario.FilePath}:{step.Line}: step failed: {step.Keyword.Trim()} {step.Text}{Environment.NewLine}  {failure.Replace("\n", "\n  ", StringComparison.Ordinal)}";
                }
                stepResults.Add(new StepResult(step, failure is null ? StepStatus.Passed : StepStatus.Failed, stepClock.Elapsed, failure, definition.MethodName));
            }
        }
        finally
        {
            foreach (var hook in registry.Hooks(before: false, scenario))
            {
                var e = await Guard(() => InvokeHookAsync(container, hook)).ConfigureAwait(false);
                if (e is not null)
                {
                    error = (error is null ? "" : error + Environment.NewLine)
                        + $"{scenario.Location}: [AfterScenario] {hook.DeclaringType?.Name}.{hook.Name} failed: {e}";
                }
            }
            var disposeError = await Guard(async () => await container.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
            if (disposeError is not null)
            {
                error = (error is null ? "" : error + Environment.NewLine) + $"{scenario.Location}: disposing scenario objects failed: {disposeError}";
            }
        }
        return new ScenarioResult(scenario, error is null ? StepStatus.Passed : StepStatus.Failed, stepResults, clock.Elapsed, error, context.Attachments);
    }

    // Runs user code; returns null on success or the failure message. NUnit assertions inside
    // bindings are isolated so the scenario reports one clear failure, not NUnit's own as well.
    private static async Task<string?> Guard(Func<Task> action)
    {
        try
        {
            using (new TestExecutionContext.IsolatedContext())
            {
                await action().ConfigureAwait(false);
            }
            return null;
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } i } ? i : ex;
            var message = inner.Message.Trim();
            return inner is NUnit.Framework.AssertionException or NUnit.Framework.MultipleAssertException
                ? message
                : $"{inner.GetType().Name}: {message}{TopFrame(inner)}";
        }
    }

    private static string TopFrame(Exception ex)
    {
        var frame = new StackTrace(ex, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType is not null);
        var method = frame?.GetMethod();
        return method is null ? "" : $"{Environment.NewLine}   at {method.DeclaringType!.Name}.{method.Name}"
            + (frame!.GetFileName() is { } file ? $" ({Path.GetFileName(file)}:{frame.GetFileLineNumber()})" : "");
    }

    private async Task InvokeStepAsync(ObjectContainer container, StepDefinition definition, Match match, ScenarioStep step)
    {
        var parameters = definition.Method.GetParameters();
        var captures = match.Groups.Cast<Group>().Skip(1).ToList();
        object? extra = step.Table is not null ? step.Table : step.DocString;
        var supplied = captures.Count + (extra is null ? 0 : 1);
        if (supplied != parameters.Length)
        {
            throw new InvalidOperationException(
                $"{definition.MethodName} takes {parameters.Length} parameter(s) but the step supplies {supplied} " +
                $"({captures.Count} capture group(s){(step.Table is not null ? " + a data table" : step.DocString is not null ? " + a doc string" : "")})");
        }
        var args = new object?[parameters.Length];
        for (var i = 0; i < captures.Count; i++)
        {
            args[i] = ConvertArgument(container, captures[i], parameters[i], definition);
        }
        if (extra is not null)
        {
            var last = parameters[^1];
            if (!last.ParameterType.IsInstanceOfType(extra))
            {
                throw new InvalidOperationException($"{definition.MethodName}: the step has a {(extra is DataTable ? "data table" : "doc string")} but the last parameter '{last.Name}' is {last.ParameterType.Name}");
            }
            args[^1] = extra;
        }
        await InvokeAsync(container, definition.Method, args).ConfigureAwait(false);
    }

    private object? ConvertArgument(ObjectContainer container, Group capture, ParameterInfo parameter, StepDefinition definition)
    {
        if (!capture.Success)
        {
            return parameter.ParameterType.IsValueType && Nullable.GetUnderlyingType(parameter.ParameterType) is null
                ? Activator.CreateInstance(parameter.ParameterType)
                : null;
        }
        try
        {
            if (registry.TryTransformation(parameter.ParameterType, out var transform))
            {
                var target = transform.IsStatic ? null : container.Resolve(transform.DeclaringType!);
                return transform.Invoke(target, [capture.Value]);
            }
            return StepValues.Convert(capture.Value, parameter.ParameterType);
        }
        catch (Exception ex) when (ex is FormatException or TargetInvocationException)
        {
            var reason = ex is TargetInvocationException { InnerException: { } inner } ? inner.Message : ex.Message;
            throw new FormatException($"parameter '{parameter.Name}' of {definition.MethodName}: {reason}", ex);
        }
    }

    private static Task InvokeHookAsync(ObjectContainer container, MethodInfo hook)
    {
        var args = hook.GetParameters().Select(p => container.Resolve(p.ParameterType)).ToArray();
        return InvokeAsync(container, hook, args);
    }

    private static async Task InvokeAsync(ObjectContainer container, MethodInfo method, object?[] args)
    {
        var target = method.IsStatic ? null : container.Resolve(method.DeclaringType!);
        var returned = method.Invoke(target, args);
        switch (returned)
        {
            case Task task: await task.ConfigureAwait(false); break;
            case ValueTask valueTask: await valueTask.ConfigureAwait(false); break;
        }
    }

    private string Undefined(ScenarioCase scenario, ScenarioStep step)
    {
        var text = new StringBuilder($"{scenario.FilePath}:{step.Line}: no step definition matches the {step.Kind} step \"{step.Text}\"");
        var closest = registry.Closest(step.Text);
        if (closest.Count > 0)
        {
            text.Append(Environment.NewLine).Append("  closest step patterns:");
            foreach (var c in closest)
            {
                text.Append(Environment.NewLine).Append($"    [{c.Kind}] {c.DisplayPattern}   ({c.MethodName})");
            }
        }
        text.Append(Environment.NewLine).Append("  see features/STEPS.md for every step, or add a binding");
        return text.ToString();
    }

    private static string Ambiguous(ScenarioCase scenario, ScenarioStep step, IReadOnlyList<(StepDefinition Definition, Match Match)> found) =>
        $"{scenario.FilePath}:{step.Line}: the {step.Kind} step \"{step.Text}\" matches {found.Count} step definitions:"
        + string.Concat(found.Select(f => $"{Environment.NewLine}    {f.Definition.DisplayPattern}   ({f.Definition.MethodName})"));
}
