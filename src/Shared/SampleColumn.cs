using CanarySim.Core.Detection;

namespace CanarySim.Storage;

/// <summary>
/// One column of the samples table as every store writes it: its name (also the insert's parameter name), the
/// CLR type of its value (each store maps it to its own column type) and the value of a sample (null = SQL NULL).
/// </summary>
internal sealed record SampleColumn(string Name, Type Type, Func<Sample, object?> Value);
