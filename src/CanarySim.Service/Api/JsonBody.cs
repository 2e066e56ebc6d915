using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace CanarySim.Service.Api;

/// <summary>
/// Reads a request body into its typed form, refusing anything else with a reason and never a 500:
/// a content type other than <c>application/json</c> (415), more than the size limit, invalid UTF-8,
/// malformed JSON, duplicate keys, unknown or missing members, wrong types, lone surrogates (400).
/// The body is parsed once, by the generated serializer.
/// </summary>
internal static class JsonBody
{
    /// <summary>The result of reading: the value (null for an absent optional body) or the error to answer.</summary>
    public readonly record struct Read<T>(T? Value, IResult? Error);

    public static async Task<Read<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, long limit, bool optional, CancellationToken ct)
        where T : class
    {
        var (bytes, error) = await ReadRawAsync(request, limit, optional, ct);
        return error is not null ? new(null, error) : bytes is null ? new(null, null) : Parse(bytes, type);
    }

    /// <summary>
    /// The body's bytes once they are known to be JSON-typed, within the limit and valid UTF-8; null
    /// bytes for an absent <paramref name="optional"/> body.
    /// </summary>
    public static async Task<(byte[]? Bytes, IResult? Error)> ReadRawAsync(HttpRequest request, long limit, bool optional, CancellationToken ct)
    {
        var (bytes, error) = await ReadBytesAsync(request, limit, ct);
        if (error is not null)
        {
            return (null, error);
        }
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return optional ? (null, null) : (null, ApiErrors.BadRequest("the request body is empty: a JSON body was expected"));
        }
        if (!IsJson(request.ContentType))
        {
            return (null, ApiErrors.UnsupportedMediaType(request.ContentType));
        }
        if (InvalidUtf8At(bytes) is { } offset)
        {
            return (null, ApiErrors.BadRequest($"the request body is not valid UTF-8 (byte {offset + 1}); JSON must be UTF-8 encoded"));
        }
        return (bytes, null);
    }

    /// <summary>Binds checked bytes to <typeparamref name="T"/>.</summary>
    public static Read<T> Parse<T>(byte[] bytes, JsonTypeInfo<T> type)
        where T : class =>
        TryParse(bytes, type, out var value, out var reason) ? new(value, null) : new(null, ApiErrors.BadRequest(reason));

    /// <summary>Binds checked bytes to <typeparamref name="T"/>; on failure <paramref name="reason"/> says where and why.</summary>
    public static bool TryParse<T>(byte[] bytes, JsonTypeInfo<T> type, out T? value, out string reason)
        where T : class
    {
        try
        {
            value = JsonSerializer.Deserialize(bytes.AsSpan(), type);
            reason = value is null ? "the request body is null: a JSON object was expected" : "";
            return value is not null;
        }
        catch (JsonException ex)
        {
            value = null;
            reason = JsonBodyErrors.Explain(ex, type);
            return false;
        }
    }

    /// <summary>True for <c>application/json</c> (any case, with an optional UTF-8 charset).</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>The first JSON value kind of a body (object or array) without parsing it.</summary>
    public static byte FirstToken(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        return trimmed.IsEmpty ? (byte)0 : trimmed[0];
    }

    private static int? InvalidUtf8At(byte[] bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }
        var span = bytes.AsSpan();
        var offset = 0;
        while (!span.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(span, out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }
            span = span[consumed..];
            offset += consumed;
        }
        return offset;
    }

    private static async Task<(byte[] Bytes, IResult? Error)> ReadBytesAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            return ([], ApiErrors.TooLarge(limit));
        }
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }
        // Pooled buffer: the hot path (POST /guard/route) must not allocate a large array per request.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, request.ContentLength is { } n ? n + 1 : 4096));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > limit)
                {
                    return ([], ApiErrors.TooLarge(limit));
                }
            }
            return (buffer.AsSpan(0, length).ToArray(), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], ApiErrors.TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
