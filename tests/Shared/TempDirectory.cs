namespace CanarySim.Testing;

/// <summary>
/// A fresh directory for one test under the system temp folder (<c>&lt;temp&gt;/canarysim-&lt;area&gt;/&lt;unique&gt;</c>),
/// removed with everything in it on dispose. A file that a stopped child process or a host still holds does not
/// fail the teardown: the directory is then left for the temp cleaner.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    /// <param name="area">Groups the directories of one kind of test (<c>service-tests</c> → <c>canarysim-service-tests</c>).</param>
    public TempDirectory(string area)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"canarysim-{area}", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public override string ToString() => Path;

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
