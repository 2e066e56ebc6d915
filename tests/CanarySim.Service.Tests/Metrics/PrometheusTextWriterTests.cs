using CanarySim.Service.Metrics;
using CanarySim.Service.Tests.Infrastructure;

namespace CanarySim.Service.Tests.Metrics;

[TestFixture]
public sealed class PrometheusTextWriterTests
{
    [Test]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        Assert.That(PrometheusTextWriter.EscapeLabelValue("a\\b\"c\nd"), Is.EqualTo("a\\\\b\\\"c\\nd"));
        Assert.That(PrometheusTextWriter.EscapeLabelValue("plain"), Is.EqualTo("plain"));
    }

    [Test]
    public void Help_escapes_backslash_and_newline_only()
    {
        Assert.That(PrometheusTextWriter.EscapeHelp("a\\b\"c\nd"), Is.EqualTo("a\\\\b\"c\\nd"));
    }

    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NegativeInfinity, "-Inf")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(0.1, "0.1")]
    [TestCase(1e21, "1E+21")]
    [TestCase(42d, "42")]
    public void Values_are_written_as_prometheus_reads_them(double value, string expected) =>
        Assert.That(PrometheusTextWriter.FormatValue(value), Is.EqualTo(expected));

    [Test]
    public void A_family_is_written_once_with_help_and_type()
    {
        var w = new PrometheusTextWriter();
        w.Family("x_total", "counter", "Things.").Sample("x_total", 3, ("k", "v"));
        Assert.That(w.ToString(), Is.EqualTo("# HELP x_total Things.\n# TYPE x_total counter\nx_total{k=\"v\"} 3\n"));
        Assert.That(() => w.Family("x_total", "counter", "again"), Throws.InvalidOperationException);
    }

    [TestCase("9lives")]
    [TestCase("has-dash")]
    [TestCase("")]
    public void Invalid_metric_names_are_refused(string name) =>
        Assert.That(() => new PrometheusTextWriter().Family(name, "gauge", "h"), Throws.ArgumentException);

    [Test]
    public void Reserved_label_names_are_refused() =>
        Assert.That(() => new PrometheusTextWriter().Sample("x", 1, ("__name__", "y")), Throws.ArgumentException);

    [Test]
    public async Task Awkward_label_values_still_pass_promtool()
    {
        var w = new PrometheusTextWriter();
        w.Family("planner_decision_diff_total", "counter", "Diffs with a \\ backslash\nand a newline in the help.");
        w.Sample("planner_decision_diff_total", 2, ("agent_v1", "inbox \"triage\""), ("agent_v2", "a\\b\nc"), ("changed", "True"));
        w.Family("some_ratio", "gauge", "A gauge.");
        w.Sample("some_ratio", double.NaN);

        var (code, output) = await Promtool.CheckMetricsAsync(w.ToString());

        Assert.That(code, Is.EqualTo(0), output + "\n---\n" + w);
    }
}
