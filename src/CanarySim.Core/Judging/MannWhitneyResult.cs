namespace CanarySim.Core.Judging;

/// <summary>Result of a two-sided Mann-Whitney U test of experiment (x) against control (y).</summary>
/// <param name="U">U of x: rank sum of x − n_x(n_x+1)/2 (R's <c>wilcox.test(x, y)</c> statistic W).</param>
/// <param name="Z">Normal deviate with tie and continuity corrections.</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="Estimate">Hodges–Lehmann estimate of the shift x − y (median of all pairwise differences).</param>
/// <param name="CiLower">Lower bound of the shift's confidence interval.</param>
/// <param name="CiUpper">Upper bound of the shift's confidence interval.</param>
public sealed record MannWhitneyResult(double U, double Z, double PValue, double Estimate, double CiLower, double CiUpper);
