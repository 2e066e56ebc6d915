namespace CanarySim.Service.Api;

/// <summary>Body of <c>POST /guard/evaluate</c>: none, or an empty object <c>{}</c>.</summary>
public sealed class EvaluateRequestBody;
