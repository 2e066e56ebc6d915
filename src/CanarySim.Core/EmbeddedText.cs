namespace CanarySim.Core;

/// <summary>Text files embedded in this assembly (published schemas, the default policy).</summary>
internal static class EmbeddedText
{
    /// <summary>The text of the resource with this logical name.</summary>
    public static string Read(string logicalName)
    {
        using var stream = typeof(EmbeddedText).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"embedded resource {logicalName} is missing from {typeof(EmbeddedText).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
