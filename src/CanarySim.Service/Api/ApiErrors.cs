namespace CanarySim.Service.Api;

/// <summary>The one error shape of the API: <c>{"error":"bad_request","reason":"…"}</c>, so every 4xx says why.</summary>
internal static class ApiErrors
{
    public static IResult Problem(int status, string error, string reason) =>
        Results.Json(new ApiError(error, reason), GuardJson.Options, statusCode: status);

    public static IResult BadRequest(string reason) => Problem(StatusCodes.Status400BadRequest, "bad_request", reason);

    public static IResult UnsupportedMediaType(string? contentType) => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
        $"the body must be sent as Content-Type: application/json; got {(string.IsNullOrEmpty(contentType) ? "no content type" : "'" + contentType + "'")}; nothing was changed");

    // An oversized payload is a bad body like any other: 400 with a reason.
    public static IResult TooLarge(long limit) => Problem(StatusCodes.Status400BadRequest, "payload_too_large",
        $"the request body is larger than the limit of {limit} bytes (Guard:MaxRequestBodyBytes); nothing was changed");
}

/// <summary>Body of every error response.</summary>
/// <param name="Error">Short machine-readable code (<c>bad_request</c>, <c>unauthorized</c>, <c>forbidden</c>, <c>payload_too_large</c>, <c>unsupported_media_type</c>, <c>too_many_requests</c>, <c>conflict</c>).</param>
/// <param name="Reason">What was wrong, naming the field and what was expected.</param>
public sealed record ApiError(string Error, string Reason);
