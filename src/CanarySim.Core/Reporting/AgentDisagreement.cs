namespace CanarySim.Core.Reporting;

/// <summary>One row of the rollup's top-disagreements table: v1 chose one agent, v2 another, this often.</summary>
public sealed record AgentDisagreement(string V1Agent, string V2Agent, long Count);
