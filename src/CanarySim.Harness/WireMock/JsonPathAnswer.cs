using Newtonsoft.Json.Linq;
using WireMock;
using WireMock.ResponseProviders;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace CanarySim.Harness.WireMock;

/// <summary>
/// The answer of a templated mapping (<c>"UseTransformer": true</c>): WireMock.Net's own answer for the mapping
/// (status, headers, delay, the <c>BodyAsJson</c> as written), with each
/// <c>{{JsonPath.SelectToken request.body '&lt;JSONPath&gt;'}}</c> in its strings replaced by the text of the first
/// non-null value the JSONPath selects in the request body (empty when none), as WireMock.Net's Handlebars
/// transformer with <c>TransformerReplaceNodeOptions: Evaluate</c> renders it. The harness renders that one helper
/// (the only one <see cref="MappingRules"/> lets through) itself because WireMock.Net builds a Handlebars environment
/// and compiles every string of the answer for each request: 60–120 ms per answer on a loaded machine, against
/// well under 1 ms here.
/// </summary>
internal sealed class JsonPathAnswer(IResponseProvider inner) : IResponseProvider
{
    public async Task<(IResponseMessage Message, IMapping? Mapping)> ProvideResponseAsync(IMapping mapping, IRequestMessage requestMessage, WireMockServerSettings settings)
    {
        var (message, next) = await inner.ProvideResponseAsync(mapping, requestMessage, settings).ConfigureAwait(false);
        if (message.BodyData is not { BodyAsJson: JToken template } body)
        {
            return (message, next);
        }
        var rendered = template.DeepClone();
        Render(rendered, JsonBodyPath.Parse(requestMessage.Body));
        return (new ResponseMessage
        {
            StatusCode = message.StatusCode,
            Headers = message.Headers,
            TrailingHeaders = message.TrailingHeaders,
            FaultType = message.FaultType,
            FaultPercentage = message.FaultPercentage,
            BodyData = new BodyData
            {
                DetectedBodyType = BodyType.Json,
                DetectedBodyTypeFromContentType = body.DetectedBodyTypeFromContentType,
                Encoding = body.Encoding,
                BodyAsJson = rendered,
            },
        }, next);
    }

    private static void Render(JToken node, JToken? request)
    {
        switch (node)
        {
            case JContainer container:
                foreach (var child in container.Children().ToList())
                {
                    Render(child is JProperty p ? p.Value : child, request);
                }
                break;
            case JValue { Type: JTokenType.String } value when value.Value<string>() is { } text && text.Contains("{{", StringComparison.Ordinal):
                value.Value = MappingRules.RenderSelectTokens(text, path => request is null ? "" : JsonBodyPath.Select(request, path).Select(JsonBodyPath.Text).FirstOrDefault() ?? "");
                break;
        }
    }
}
