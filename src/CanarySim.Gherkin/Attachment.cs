namespace CanarySim.Gherkin;

/// <summary>Evidence attached to a scenario: a file (shown as a link in the report) or a piece of text.</summary>
/// <param name="Name">What the evidence is, e.g. <c>release gate report</c>.</param>
/// <param name="Content">The file's full path when <see cref="IsFile"/>, else the text.</param>
/// <param name="IsFile">Whether <see cref="Content"/> names an existing file.</param>
public sealed record Attachment(string Name, string Content, bool IsFile);
