namespace CanarySim.Harness.Simulation;

/// <summary>A format-neutral document node (from YAML or JSON) that remembers its line, so plan errors can name it.</summary>
internal sealed class PlanNode
{
    public enum NodeKind { Map, Seq, Scalar, Null }

    public required NodeKind Kind { get; init; }
    public int Line { get; init; }
    public string Text { get; init; } = "";
    public List<(string Key, int Line, PlanNode Value)> Entries { get; } = [];
    public List<PlanNode> Items { get; } = [];

    public string Describe() => Kind switch
    {
        NodeKind.Map => "a mapping",
        NodeKind.Seq => "a list",
        NodeKind.Null => "nothing",
        _ => $"'{Text}'",
    };
}
