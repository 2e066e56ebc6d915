using System.Text.Json.Serialization;

namespace CanarySim.Service.Api;

/// <summary>
/// The request bodies, bound by generated System.Text.Json code and strict on purpose: exact snake_case
/// names, no unknown members, no duplicate keys, required members, no null where the type says non-null,
/// numbers only as JSON numbers, at most
/// 16 levels deep. The same types describe the bodies in the OpenAPI document.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false,
    RespectNullableAnnotations = true,
    MaxDepth = 16)]
[JsonSerializable(typeof(ConfigRequestBody))]
[JsonSerializable(typeof(ActorReasonBody))]
[JsonSerializable(typeof(EvaluateRequestBody))]
[JsonSerializable(typeof(SampleBody))]
[JsonSerializable(typeof(List<SampleBody>))]
[JsonSerializable(typeof(DiffReportBody))]
[JsonSerializable(typeof(List<DiffReportBody>))]
[JsonSerializable(typeof(RouteRequestBody))]
[JsonSerializable(typeof(ApproveBody))]
[JsonSerializable(typeof(ArtifactsBody))]
internal sealed partial class GuardJsonContext : JsonSerializerContext;
