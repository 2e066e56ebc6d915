using CanarySim.Service.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanarySim.Service.Api;

/// <summary>
/// The OpenAPI document's security: two bearer schemes (<c>opsToken</c>, <c>appToken</c>), each operation's
/// requirement from its <see cref="TokenScope"/>, and <c>additionalProperties: false</c> on the request
/// bodies, which refuse unknown members.
/// </summary>
internal static class OpenApiSecurity
{
    public const string Ops = "opsToken", App = "appToken";

    private static readonly HashSet<Type> StrictBodies =
    [
        typeof(ConfigRequestBody), typeof(SegmentRequestBody), typeof(ActorReasonBody), typeof(EvaluateRequestBody),
        typeof(SampleBody), typeof(DiffReportBody), typeof(RouteRequestBody),
    ];

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Ops] = Scheme("The ops token (--ops-token-file): every endpoint.");
            document.Components.SecuritySchemes[App] = Scheme("The app token (--app-token-file): POST /guard/route, /guard/samples, /guard/diffs.");
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<TokenScopeMetadata>().LastOrDefault()?.Scope;
            if (scope is null)
            {
                return Task.CompletedTask;
            }
            var document = context.Document;
            var ops = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Ops, document)] = [] };
            var app = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(App, document)] = [] };
            operation.Security = scope switch
            {
                TokenScope.Ops => [ops],
                TokenScope.App => [app, ops],
                _ => [new OpenApiSecurityRequirement(), app, ops],
            };
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (StrictBodies.Contains(context.JsonTypeInfo.Type))
            {
                schema.AdditionalPropertiesAllowed = false;
            }
            return Task.CompletedTask;
        });
    }

    private static OpenApiSecurityScheme Scheme(string description) => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = description + " Send 'Authorization: Bearer <token>'.",
    };
}
