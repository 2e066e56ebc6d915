using Reqnroll.Infrastructure;

namespace CanarySim.Features.Runtime;

/// <summary>Hands a scenario's attached files to NUnit as well (they show in the test result, beside the Cucumber report).</summary>
public sealed class NUnitAttachmentHandler : IReqnrollAttachmentHandler
{
    /// <inheritdoc/>
    public void AddAttachment(string filePath) => TestContext.AddTestAttachment(filePath);
}
