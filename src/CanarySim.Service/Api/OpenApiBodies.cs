using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanarySim.Service.Api;

/// <summary>
/// Documents a JSON request body in the OpenAPI document without <c>Accepts&lt;T&gt;</c>, which would
/// also make routing refuse requests lacking a JSON content type (415) before the body is even read.
/// Bodies are parsed by our own strict readers.
/// </summary>
internal static class OpenApiBodies
{
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>
    /// Documents a mutating endpoint that reads a JSON body: the body, the answer, 400 for a bad body
    /// and the ops-token answers.
    /// </summary>
    public static RouteHandlerBuilder JsonEndpoint<TBody, TResponse>(this RouteHandlerBuilder builder, bool bodyRequired = true) =>
        builder.JsonBody<TBody>(bodyRequired)
            .Produces<TResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .ProducesAuthErrors();

    /// <summary>Documents the ops-token answers every mutating endpoint can give: 401 without a token, 403 with a wrong one.</summary>
    public static RouteHandlerBuilder ProducesAuthErrors(this RouteHandlerBuilder builder) =>
        builder.Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
}
