using System.Text;
using BenchmarkDotNet.Attributes;
using CanarySim.Core.Gating;

namespace CanarySim.Benchmarks;

/// <summary>
/// SPEC §3 / issue 4: a 100 000-case raw artifact is gated in under 2 s, streaming (memory bounded).
/// Run: <c>dotnet run -c Release --project tests/CanarySim.Benchmarks -- --filter '*Gate*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class GateBenchmarks
{
    private const int Cases = 100_000;
    private byte[] _artifact = [];
    private string _file = "";

    [GlobalSetup]
    public void Setup()
    {
        var json = new StringBuilder("{\"schema\":\"canarysim.uat-raw/v1\",\"run_id\":\"bench\",\"engine\":\"v3_canary\",\"started_at\":\"2026-02-19T10:00:00Z\",\"cases\":[");
        var t0 = new DateTimeOffset(2026, 2, 19, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Cases; i++)
        {
            var id = i / 2;
            var role = i % 2 == 0 ? "ai.reader" : "ai.operator";
            if (i > 0)
            {
                json.Append(',');
            }
            json.Append("{\"case_id\":\"CASE-").Append(id.ToString("000000")).Append("\",\"role\":\"").Append(role)
                .Append("\",\"run_kind\":\"first\",\"started_at\":\"").Append(t0.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"))
                .Append("\",\"passed\":true,\"output_shape_ok\":true,\"latency_ms\":").Append(800 + (id * 37 % 3000))
                .Append(",\"write_safety_incident\":false,\"corrected\":").Append(id % 20 == 0 ? "true" : "false")
                .Append(",\"critical\":false,\"benchmark\":\"clear\",\"title\":\"synthetic scenario\"}");
        }
        json.Append("]}");
        _artifact = Encoding.UTF8.GetBytes(json.ToString());
        _file = Path.Combine(Path.GetTempPath(), $"canarysim-bench-{Environment.ProcessId}.json");
        File.WriteAllBytes(_file, _artifact);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_file);

    /// <summary>Read + score + judge + render the JSON report of 100 000 cases from a file.</summary>
    [Benchmark]
    public string Gate_100k_cases_from_file()
    {
        var report = new ReleaseGate().Evaluate(new GateRequest(10, 5000, 0.12, "bench"),
            [new UatArtifactInput(_file, () => new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))]);
        return GateReportWriter.ToJson(report);
    }

    /// <summary>Only the streaming reader over the same bytes in memory.</summary>
    [Benchmark]
    public int Read_100k_cases()
    {
        var n = 0;
        foreach (var unused in new UatArtifactReader(new MemoryStream(_artifact, writable: false), "bench.json").ReadCases())
        {
            n++;
        }
        return n;
    }

    /// <summary>
    /// 256 MB of diagnostic reruns streamed from a generator (never in memory as a whole): shows the
    /// reader's working set stays at its buffer plus one case, whatever the file size.
    /// </summary>
    [Benchmark]
    public int Stream_256MB_artifact()
    {
        using var stream = new SyntheticArtifactStream(256L * 1024 * 1024);
        var n = 0;
        foreach (var unused in new UatArtifactReader(stream, "synthetic.json").ReadCases())
        {
            n++;
        }
        return n;
    }

    // Produces header + N copies of one diagnostic-rerun case + footer, without holding them.
    private sealed class SyntheticArtifactStream(long targetBytes) : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"schema\":\"canarysim.uat-raw/v1\",\"cases\":[");
        private static readonly byte[] Item = Encoding.UTF8.GetBytes("{\"case_id\":\"FIN-01\",\"role\":\"ai.reader\",\"run_kind\":\"diagnostic\",\"started_at\":\"2026-02-19T10:00:05Z\",\"passed\":true,\"latency_ms\":1234,\"notes\":\"synthetic diagnostic rerun\"},");
        private static readonly byte[] Last = Encoding.UTF8.GetBytes("{\"case_id\":\"FIN-01\",\"role\":\"ai.reader\",\"started_at\":\"2026-02-19T10:00:00Z\",\"passed\":true}]}");
        private readonly long _items = Math.Max(1, (targetBytes - Head.Length - Last.Length) / Item.Length);
        private long _item = -1;
        private int _offset;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                var current = _item < 0 ? Head : _item < _items ? Item : _item == _items ? Last : null;
                if (current is null)
                {
                    break;
                }
                var n = Math.Min(count - written, current.Length - _offset);
                Buffer.BlockCopy(current, _offset, buffer, offset + written, n);
                written += n;
                _offset += n;
                if (_offset == current.Length)
                {
                    _offset = 0;
                    _item++;
                }
            }
            return written;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
