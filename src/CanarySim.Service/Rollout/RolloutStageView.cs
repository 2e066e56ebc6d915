namespace CanarySim.Service.Rollout;

/// <summary>One stage of the live plan, for the dashboard's timeline.</summary>
/// <param name="Name">Stage name.</param>
/// <param name="Kind"><c>shadow</c>, <c>canary</c> or <c>progressive</c>.</param>
/// <param name="Percent">Traffic on v2.</param>
/// <param name="MinHoldS">Minimum hold, seconds.</param>
/// <param name="Status"><c>done</c>, <c>current</c> or <c>next</c>.</param>
/// <param name="Gates">Its gates, in words.</param>
/// <param name="ApprovedBy">Who approved it so far.</param>
public sealed record RolloutStageView(string Name, string Kind, double Percent, double MinHoldS, string Status, IReadOnlyList<string> Gates, IReadOnlyList<string> ApprovedBy);
