using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CanarySim.Service.Tests.Infrastructure;

/// <summary>
/// An on-call webhook played by WireMock.Net in process, on 127.0.0.1 and a port the OS picks; it answers the given
/// status codes in turn (the last one for every further call) and keeps every POST it received.
/// </summary>
public sealed class WebhookStub : IDisposable
{
    private const string Path = "/hooks/canary";
    private readonly WireMockServer _server;

    public WebhookStub(params int[] statuses)
    {
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false });
        var codes = statuses.Length == 0 ? [200] : statuses;
        if (codes.Length == 1)
        {
            _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(codes[0]));
        }
        for (var i = 0; codes.Length > 1 && i < codes.Length; i++)
        {
            var mapping = _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("answers");
            mapping = i == 0 ? mapping : mapping.WhenStateIs($"call {i}");
            if (i < codes.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"call {i + 1}");
            }
            mapping.RespondWith(Response.Create().WithStatusCode(codes[i]));
        }
        Url = new Uri(new Uri(_server.Urls[0]), Path);
    }

    /// <summary>Where to POST.</summary>
    public Uri Url { get; }

    /// <summary>The bodies received, oldest first, parsed.</summary>
    public IReadOnlyList<JsonObject> Bodies => Received.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();

    /// <summary>Every request received (method, content type, body), oldest first.</summary>
    public IReadOnlyList<(string Method, string? ContentType, string Body)> Received => _server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => (e.RequestMessage.Method, e.RequestMessage.Headers?.TryGetValue("Content-Type", out var type) == true ? type.ToString() : null, e.RequestMessage.Body ?? ""))
        .ToList();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}
