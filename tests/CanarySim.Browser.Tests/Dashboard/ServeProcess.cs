using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CanarySim.Browser.Tests.Dashboard;

/// <summary>
/// A real <c>canarysim serve</c> (the built CLI) started as a child process on 127.0.0.1 with a free
/// port (<c>--urls http://127.0.0.1:0</c>; the address is read from its <c>--json</c> start-up line),
/// a fresh SQLite database and a token file. Disposing kills the process it started.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    public const string Token = "browser-test-ops-token-42";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private string[] _extra = [];

    private ServeProcess(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        Directory = directory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri BaseAddress { get; }
    public string Directory { get; }
    public HttpClient Http { get; }

    /// <summary>What the process printed up to its start-up line.</summary>
    public string StartLine { get; private init; } = "";

    /// <summary>SIGKILL (no chance to finish anything); the directory and its database stay for <see cref="RestartAsync"/>.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>Starts <c>canarysim serve</c>; <paramref name="extra"/> are more arguments (e.g. <c>--policy P</c>, <c>--plan P</c>).</summary>
    public static async Task<ServeProcess> StartAsync(params string[] extra)
    {
        var dir = Path.Combine(Path.GetTempPath(), "canarysim-browser-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "ops-token"), Token + "\n");
        return await StartInAsync(dir, extra);
    }

    /// <summary>
    /// Starts <c>canarysim serve</c> again on the database and arguments of <paramref name="killed"/> (after
    /// <see cref="Kill"/>): the restart after a crash.
    /// </summary>
    public static Task<ServeProcess> RestartAsync(ServeProcess killed)
    {
        ArgumentNullException.ThrowIfNull(killed);
        killed.Http.Dispose();
        killed._process.Dispose();
        return StartInAsync(killed.Directory, killed._extra);
    }

    private static async Task<ServeProcess> StartInAsync(string dir, string[] extra)
    {
        var cli = Repository.CliAssembly();
        var tokenFile = Path.Combine(dir, "ops-token");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in new[] { cli, "serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(dir, "guard.db"),
                     "--ops-token-file", tokenFile, "--evaluation-interval", "0", "--json" }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("CANARYSIM_OPS_TOKEN");
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started.TrySetException(new InvalidOperationException("canarysim serve exited before listening:\n" + log));
                return;
            }
            lock (log) { log.AppendLine(e.Data); }
            if (e.Data.StartsWith('{') && JsonNode.Parse(e.Data)?["urls"]?.AsArray().FirstOrDefault()?.GetValue<string>() is { } url)
            {
                started.TrySetResult(new Uri(url));
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var uri = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new ServeProcess(process, dir, uri) { _extra = extra, StartLine = log.ToString() };
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.Dispose();
            throw;
        }
    }

    public async Task<JsonObject> StatusAsync()
    {
        var text = await Http.GetStringAsync("/guard/status");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task PutAsync(string path, string json)
    {
        var response = await Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    public async Task PostAsync(string path, string json)
    {
        var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
