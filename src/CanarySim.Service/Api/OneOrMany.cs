using System.Text.Json.Serialization.Metadata;

namespace CanarySim.Service.Api;

/// <summary>Bodies that hold one object or a non-empty array of them (samples, diffs), bound in one pass.</summary>
internal static partial class OneOrMany
{
    public static async Task<JsonBody.Read<List<T>>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> one, JsonTypeInfo<List<T>> many,
        GuardServiceOptions o, string noun, string shape, CancellationToken ct)
        where T : class
    {
        var (bytes, error) = await JsonBody.ReadRawAsync(request, o.MaxRequestBodyBytes, optional: false, ct);
        if (error is not null)
        {
            return new(null, error);
        }
        List<T> items;
        switch (JsonBody.FirstToken(bytes))
        {
            case (byte)'{':
                if (!JsonBody.TryParse(bytes!, one, out var single, out var reason))
                {
                    return new(null, ApiErrors.BadRequest($"the {noun}: {reason}"));
                }
                items = [single!];
                break;
            case (byte)'[':
                if (!JsonBody.TryParse(bytes!, many, out var list, out var listReason))
                {
                    var item = ItemIndex().Match(listReason);
                    return new(null, ApiErrors.BadRequest(item.Success ? $"{noun} {int.Parse(item.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1}: {listReason}" : listReason));
                }
                items = list!;
                break;
            default:
                return new(null, ApiErrors.BadRequest($"the body must be {shape}"));
        }
        if (items.Count == 0)
        {
            return new(null, ApiErrors.BadRequest($"the batch is empty: the body must be {shape}"));
        }
        if (items.Count > o.MaxSamplesPerRequest)
        {
            return new(null, ApiErrors.BadRequest($"the batch has {items.Count} {noun}s; at most {o.MaxSamplesPerRequest} are accepted per request (Guard:MaxSamplesPerRequest)"));
        }
        var nullAt = items.IndexOf(null!);
        return nullAt >= 0 ? new(null, ApiErrors.BadRequest($"item {nullAt + 1} of {items.Count} is null: {shape}")) : new(items, null);
    }

    /// <summary>How an item is named in a reason: "the sample" alone, "sample 3 of 10" in a batch.</summary>
    public static string Where(string noun, int index, int count) => count == 1 ? $"the {noun}" : $"{noun} {index + 1} of {count}";

    [System.Text.RegularExpressions.GeneratedRegex(@"^\$\[(\d{1,9})\]")]
    private static partial System.Text.RegularExpressions.Regex ItemIndex();
}
