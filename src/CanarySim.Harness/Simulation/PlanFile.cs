using CanarySim.Core.Rollout;

namespace CanarySim.Harness.Simulation;

/// <summary>Reads a plan file and loads it with Core's <see cref="PlanLoader"/> (YAML, or JSON by its <c>.json</c> extension).</summary>
public static class PlanFile
{
    /// <summary>Loads and validates a plan file.</summary>
    /// <exception cref="PlanValidationException">The file is missing or not a valid plan.</exception>
    public static LoadedPlan Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PlanValidationException([new PlanValidationError(path, 0, "", "plan file not found")]);
        }
        return PlanLoader.Parse(File.ReadAllText(path), path, PlanLoader.IsJson(path));
    }
}
