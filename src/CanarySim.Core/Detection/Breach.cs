namespace CanarySim.Core.Detection;

/// <summary>
/// One breached check with the numbers that produced it, e.g.
/// <c>{"check":"latency","value":1850,"threshold":1600,"reason":"latency (V2 p95: 1850ms &gt; 1600ms)","action":"rollback"}</c>.
/// </summary>
/// <param name="Check">Check name (see <see cref="CheckNames"/>).</param>
/// <param name="Value">The observed value (for <c>quality</c>: the drop in points; rates are fractions 0–1).</param>
/// <param name="Threshold">The threshold it exceeded (strictly).</param>
/// <param name="Reason">Readable reason with the numbers.</param>
/// <param name="Action">The action the policy assigns to this breach.</param>
public sealed record Breach(string Check, double Value, double Threshold, string Reason, VerdictAction Action);
