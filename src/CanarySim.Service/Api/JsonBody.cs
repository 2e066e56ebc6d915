using System.Buffers;
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

        // Pooled buffer: the hot path (POST /guard/route) must not allocate a large array per request.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, request.ContentLength is { } n ? n + 1 : 4096));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return (null, ApiErrors.TooLarge(limit));
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > limit)
                {
                    return (null, ApiErrors.TooLarge(limit));
                }
            }
            return Parse(buffer.AsMemory(0, length), allowEmpty);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiErrors.TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (JsonDocument? Document, IResult? Error) Parse(ReadOnlyMemory<byte> bytes, bool allowEmpty)
    {
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return allowEmpty
                ? (null, null)
                : (null, ApiErrors.BadRequest("the request body is empty: a JSON object was expected"));
        }
        try
        {
            // Copied: the pooled buffer goes back to the pool while the document is still in use.
            return (JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            return (null, ApiErrors.BadRequest($"the request body is not valid JSON{where}: {ex.Message}"));
        }
    }

    /// <summary>The items of a body that holds one object or an array of them (null when it is neither).</summary>
    public static List<JsonElement>? OneOrMany(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Object => [root],
        JsonValueKind.Array => root.EnumerateArray().ToList(),
        _ => null,
    };
}
