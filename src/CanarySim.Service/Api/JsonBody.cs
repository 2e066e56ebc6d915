using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace CanarySim.Service.Api;

/// <summary>
/// Reads a request body as JSON with a hard size limit (SPEC §5: an oversized payload is refused
/// with a reason and changes nothing). Errors name the line and byte position.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request, long limit, bool allowEmpty, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            return (null, ApiErrors.TooLarge(limit));
        }
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, ApiErrors.TooLarge(limit));
                }
                buffer.Write(chunk, 0, read);
            }
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiErrors.TooLarge(limit));
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return allowEmpty
                ? (null, null)
                : (null, ApiErrors.BadRequest("the request body is empty: a JSON object was expected"));
        }
        try
        {
            return (JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            return (null, ApiErrors.BadRequest($"the request body is not valid JSON{where}: {ex.Message}"));
        }
    }
}
