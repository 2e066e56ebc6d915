namespace CanarySim.Harness.WireMock;

/// <summary>A WireMock scenario (multi-turn state machine) and its current state.</summary>
/// <param name="Name">Scenario name.</param>
/// <param name="State">Current state (<c>Started</c> after a reset).</param>
/// <param name="PossibleStates">Every state the scenario's stubs mention.</param>
public sealed record ScenarioState(string Name, string State, IReadOnlyList<string> PossibleStates);
