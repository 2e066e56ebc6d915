using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanarySim.Service.Api;

/// <summary>
/// Documents a JSON request body in the OpenAPI document from the type that binds it, without
/// <c>Accepts&lt;T&gt;</c> (which would answer 415 in routing, before the token is checked). Bodies are read
/// by <see cref="JsonBody"/>.
/// </summary>
internal static class OpenApiBodies
{
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            operation.RequestBody = Body(required, schema);
        });

    /// <summary>A body that is one <typeparamref name="T"/> object or a non-empty array of them.</summary>
    public static RouteHandlerBuilder JsonOneOrMany<T, TResponse>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                var item = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
                var array = new OpenApiSchema { Type = JsonSchemaType.Array, Items = item, MinItems = 1 };
                operation.RequestBody = Body(true, new OpenApiSchema { OneOf = [item, array] });
            })
            .Produces<TResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status415UnsupportedMediaType)
            .ProducesAuthErrors();

    /// <summary>
    /// Documents a mutating endpoint that reads a JSON body: the body, the answer, 400 for a bad body, 415
    /// for another content type and the token answers.
    /// </summary>
    public static RouteHandlerBuilder JsonEndpoint<TBody, TResponse>(this RouteHandlerBuilder builder, bool bodyRequired = true) =>
        builder.JsonBody<TBody>(bodyRequired)
            .Produces<TResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status415UnsupportedMediaType)
            .ProducesAuthErrors();

    /// <summary>Documents the token answers: 401 without a token, 403 with a wrong one, 429 after too many of those.</summary>
    public static RouteHandlerBuilder ProducesAuthErrors(this RouteHandlerBuilder builder) =>
        builder.Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests);

    private static OpenApiRequestBody Body(bool required, IOpenApiSchema schema) => new()
    {
        Required = required,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };
}
