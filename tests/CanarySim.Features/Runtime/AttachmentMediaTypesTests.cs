using Reqnroll.Formatters.PayloadProcessing;

namespace CanarySim.Features.Runtime;

/// <summary>Evidence attachments reach the Cucumber report with a media type it shows inline.</summary>
public sealed class AttachmentMediaTypesTests
{
    [TestCase(".md", "text/markdown")]
    [TestCase(".MD", "text/markdown")]
    [TestCase(".jsonl", "text/plain")]
    [TestCase(".json", "application/json")]
    public void Evidence_files_get_a_text_media_type(string extension, string expected)
    {
        AttachmentMediaTypes.Register();
        Assert.That(FileExtensionToMimeTypeMap.GetMimeType(extension), Is.EqualTo(expected));
    }
}
