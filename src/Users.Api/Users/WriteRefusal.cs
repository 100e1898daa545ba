using Users.Api.Http;
using Users.Domain.Decisions;

namespace Users.Api.Users;

/// <summary>Why a write appended nothing, as a status and the fields concerned.</summary>
public sealed record WriteRefusal(int Status, string Title, string Detail, IReadOnlyList<FieldError> Errors, long? CurrentVersion = null,
    DateTimeOffset? RetryAt = null)
{
    public static WriteRefusal NotFound(Guid id) => new(StatusCodes.Status404NotFound, "User not found", $"No user has the id {id}.", []);

    public static WriteRefusal Stale(long currentVersion) => new(StatusCodes.Status412PreconditionFailed, "Precondition failed",
        $"If-Match does not match the current version {currentVersion}.", [], currentVersion);

    public static WriteRefusal Invalid(IReadOnlyList<FieldError> errors) =>
        new(StatusCodes.Status422UnprocessableEntity, "Validation failed", "One or more fields are invalid.", errors);

    /// <summary>422 naming <c>/email</c>: every dialect renders it as its own validation error.</summary>
    public static WriteRefusal TooManyEmailChanges(EmailChangeRefused refused) => Invalid([new FieldError("/email",
        $"The address may change at most {refused.PerHour} times an hour; the next change is possible after {refused.AllowedAgainAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.")]);

    public static WriteRefusal Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail, []);

    /// <summary>429 with Retry-After: a cap on sends (not a validation error: the request was right, only too soon).</summary>
    public static WriteRefusal TooManySends(int perHour, DateTimeOffset allowedAgainAt) => new(StatusCodes.Status429TooManyRequests,
        "Too many verification mails or codes",
        $"At most {perHour} verification mails or codes an hour go to one account and to one address or number; the next is possible after {allowedAgainAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.",
        [], RetryAt: allowedAgainAt);

    /// <summary>The canonical rendering: RFC 9457 problem details.</summary>
    public IResult ToProblem() => Status switch
    {
        StatusCodes.Status412PreconditionFailed => ApiProblem.PreconditionFailed(CurrentVersion ?? 0),
        StatusCodes.Status422UnprocessableEntity => ApiProblem.Validation(Errors),
        _ when RetryAt is { } at => new RetryAfterResult(at, ApiProblem.Of(Status, Title, Detail)),
        // A 403 names the fields it refuses (ProfileUpdateChecks); the others have none.
        _ => ApiProblem.Of(Status, Title, Detail, Errors.Count > 0 ? Errors : null),
    };

    private sealed class RetryAfterResult(DateTimeOffset at, IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((at - DateTimeOffset.UtcNow).TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(http);
        }
    }
}
