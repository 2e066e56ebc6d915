using System.Diagnostics;
using System.Text;

namespace CanarySim.Core.Tests.Storage;

/// <summary>
/// Runs tests/CanarySim.StoreWriter as a real child process and reads its acknowledgement lines.
/// Every wait is bounded, so a hung child fails the test instead of hanging it.
/// </summary>
internal sealed class StoreWriterProcess : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private StoreWriterProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static StoreWriterProcess Start(string dbPath, string writer, int iterations, bool waitForGo = false)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "CanarySim.StoreWriter.dll");
        Assert.That(File.Exists(dll), Is.True, $"missing {dll}: CanarySim.Core.Tests references tests/CanarySim.StoreWriter so it is copied beside the tests");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, dbPath, writer, iterations.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }
        if (waitForGo)
        {
            info.ArgumentList.Add("--wait-for-go");
        }
        return new StoreWriterProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the store writer"));
    }

    /// <summary>The next stdout line, or null at end of output.</summary>
    public async Task<string?> ReadLineAsync()
    {
        try
        {
            return await _process.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"store writer sent no line within {LineTimeout}; stderr:\n{Stderr}");
            throw;
        }
    }

    public async Task ExpectReadyAsync()
    {
        var line = await ReadLineAsync();
        Assert.That(line, Is.EqualTo("ready"), $"store writer did not start; stderr:\n{Stderr}");
    }

    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>Reads every remaining line until the child exits.</summary>
    public async Task<List<string>> ReadToEndAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }
        await _process.WaitForExitAsync().WaitAsync(LineTimeout);
        return lines;
    }

    /// <summary>SIGKILL on Unix: the child gets no chance to finish a transaction or close the database.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(LineTimeout);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
