using Reqnroll.Formatters.PayloadProcessing;

namespace CanarySim.Features.Runtime;

/// <summary>
/// Media types of the evidence files scenarios attach that Reqnroll's extension map does not know.
/// Without them a Markdown evidence file is <c>application/octet-stream</c>, which the Cucumber HTML
/// report offers as a download; as <c>text/markdown</c> it is shown inline as text.
/// </summary>
public static class AttachmentMediaTypes
{
    /// <summary>Extension → media type added to Reqnroll's map (extensions it already maps keep theirs).</summary>
    public static readonly IReadOnlyDictionary<string, string> Added = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".md"] = "text/markdown",
        [".jsonl"] = "text/plain",
    };

    /// <summary>Adds <see cref="Added"/> to Reqnroll's extension map; call before the test run starts.</summary>
    public static void Register()
    {
        lock (FileExtensionToMimeTypeMap.ExtensionToMimeType)
        {
            foreach (var (extension, mediaType) in Added)
            {
                FileExtensionToMimeTypeMap.ExtensionToMimeType.TryAdd(extension, mediaType);
            }
        }
    }
}
