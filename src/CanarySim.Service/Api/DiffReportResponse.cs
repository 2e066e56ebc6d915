namespace CanarySim.Service.Api;

/// <summary><c>POST /guard/diffs</c> answer.</summary>
/// <param name="Recorded">Comparisons counted (the sum of the items' counts).</param>
/// <param name="Changed">Of which with a change.</param>
public sealed record DiffReportResponse(long Recorded, long Changed);
