using System.Globalization;
using System.Reflection;
using System.Text;
using CanarySim.Core.Detection;
using CanarySim.Core.Routing;
using CanarySim.Harness.Fakes;

namespace CanarySim.Features.Runtime;

/// <summary>
/// The defaults and thresholds in force when a scenario does not set them, read from the real option
/// types (so the catalog cannot drift from the code): the detector's policy, the router's budgets and
/// the played traffic's shape.
/// </summary>
public static class StepDefaults
{
    /// <summary>The catalog section, in Markdown.</summary>
    public static string Markdown()
    {
        var md = new StringBuilder();
        md.Append("## Defaults and thresholds in force\n\n")
          .Append("What a scenario gets unless a step changes it (read from the code when this file is generated). ")
          .Append("Thresholds are strict: a value exactly at a limit is not a breach.\n\n");
        Section(md, "Regression detector (`DetectorOptions`)", new DetectorOptions());
        Section(md, "Router (`RouterOptions`)", new RouterOptions());
        md.Append("### Played traffic (`traffic runs for …`)\n\n")
          .Append("- each engine serves 100 runs per step; a step is 1 minute (`evaluated every …` changes it), and the guard evaluates after every step\n");
        foreach (var p in typeof(SampleShape).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            md.Append("- v1 and v2 `").Append(p.Name).Append("`: ").Append(Show(p.GetValue(SampleShape.Healthy))).Append('\n');
        }
        md.Append('\n');
        return md.ToString();
    }

    private static void Section(StringBuilder md, string title, object options)
    {
        md.Append("### ").Append(title).Append("\n\n");
        foreach (var p in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var value = p.GetValue(options);
            if (value is null or Random or TimeProvider || (value.GetType().IsClass && value is not string))
            {
                continue;
            }
            md.Append("- `").Append(p.Name).Append("`: ").Append(Show(value)).Append('\n');
        }
        md.Append('\n');
    }

    private static string Show(object? value) => value switch
    {
        null => "none",
        TimeSpan t when t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) => $"{t.TotalHours.ToString(CultureInfo.InvariantCulture)} h",
        TimeSpan t when t.TotalMinutes >= 1 && t.TotalMinutes == Math.Floor(t.TotalMinutes) => $"{t.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min",
        TimeSpan t => $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms",
        bool b => b ? "on" : "off",
        Enum e => e.ToString().ToLowerInvariant(),
        IEnumerable<string> names => names.Any() ? string.Join(", ", names) : "none",
        IEnumerable<MetricShape> metrics => metrics.Any() ? string.Join(", ", metrics.Select(m => m.Name)) : "none",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
