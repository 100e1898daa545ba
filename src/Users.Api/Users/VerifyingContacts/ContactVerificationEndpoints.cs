using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Domain.Decisions;
using Wolverine;

namespace Users.Api.Users.VerifyingContacts;

/// <summary>Verifying secondary addresses (a mailed token, as for the primary address) and phone numbers (a texted code).</summary>
public static class ContactVerificationEndpoints
{
    private const string TooMany = "The cap on verification mails and codes (Users:VerificationCodesPerHour, per user and per address or number) is reached; Retry-After says when.";

    public static void MapContactVerification(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/users/{id:guid}/emails/{email_id:guid}/verification",
                (Guid id, [FromRoute(Name = "email_id")] Guid emailId, HttpContext http, IMessageBus bus, CancellationToken ct) =>
                    Accept(new ResendSecondaryEmailVerification(id, emailId, RequestContext.From(http, "api/v1")), VerificationSent.Mail, bus, ct))
            .RequireProfileAccess(Access.Write)
            .RequireRateLimiting(RateLimits.VerificationResend)
            .WithName("ResendSecondaryEmailVerification")
            .WithSummary("Mail a secondary address its verification link again; 202: the mail follows asynchronously.")
            .Produces<VerificationSent>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status404NotFound, "No such user, or the user has no secondary address with that id.")
            .AnswersProblem(StatusCodes.Status409Conflict, "The address is already verified.")
            .AnswersProblem(StatusCodes.Status429TooManyRequests, TooMany);

        app.MapPost("/api/v1/users/{id:guid}/emails/{email_id:guid}/verify", VerifyEmail)
            // The token from the mail is the credential, as for the primary address.
            .AllowAnonymous()
            .WithName("VerifySecondaryEmail")
            .WithSummary("Redeem the token mailed to a secondary address; answers {status, verified}, never the profile.")
            .DocumentsBody<TokenRequest>()
            .Produces<ContactVerified>()
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity,
                "The token is missing, not valid (also for another user or address), expired, used, or the address was removed.");

        app.MapPost("/api/v1/users/{id:guid}/phone-numbers/{phone_id:guid}/verification",
                (Guid id, [FromRoute(Name = "phone_id")] Guid phoneId, HttpContext http, IMessageBus bus, CancellationToken ct) =>
                    Accept(new RequestPhoneVerificationCode(id, phoneId, RequestContext.From(http, "api/v1")), VerificationSent.Code, bus, ct))
            .RequireProfileAccess(Access.Write)
            .RequireRateLimiting(RateLimits.VerificationResend)
            .WithName("RequestPhoneVerificationCode")
            .WithSummary($"Text a {PhoneVerification.CodeDigits}-digit one-time code to a phone number (a new code voids the previous one); 202: the text follows asynchronously.")
            .Produces<VerificationSent>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status404NotFound, "No such user, or the user has no phone number with that id.")
            .AnswersProblem(StatusCodes.Status409Conflict, "The number is already verified.")
            .AnswersProblem(StatusCodes.Status429TooManyRequests, TooMany);

        app.MapPost("/api/v1/users/{id:guid}/phone-numbers/{phone_id:guid}/verify", VerifyPhone)
            .RequireProfileAccess(Access.Write)
            .WithName("VerifyPhoneNumber")
            .WithSummary($"Submit the code texted to the number; {PhoneVerification.MaxAttempts} wrong codes lock it.")
            .DocumentsBody<VerificationCodeRequest>()
            .Produces<ContactVerified>()
            .AnswersProblem(StatusCodes.Status404NotFound, "No such user.")
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity,
                "The code is missing, malformed, wrong, expired, used, locked after too many wrong tries, or none was sent (errors name /code).");
    }

    private static async Task<IResult> Accept(object command, VerificationSent answer, IMessageBus bus, CancellationToken ct) =>
        await bus.InvokeAsync<WriteOutcome>(command, ct) is { Refusal: { } refusal }
            ? refusal.ToProblem()
            : TypedResults.Json(answer, statusCode: StatusCodes.Status202Accepted);

    private static async Task<IResult> VerifyEmail(Guid id, [FromRoute(Name = "email_id")] Guid emailId, HttpContext http, IMessageBus bus,
        CancellationToken ct)
    {
        var (token, problem) = await TokenField.ReadAsync(http.Request, "the verification mail", ct);
        if (problem is not null)
            return problem;
        // Another account verifying the same address at the same moment loses at commit: the same 422 as the check.
        var outcome = await WritePath.InvokeAsync(bus,
            new VerifySecondaryEmail(id, emailId, token!, RequestContext.From(http, "api/v1", anonymousActsAs: id)), claimedValues: null, ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(ContactVerified.Instance);
    }

    private static async Task<IResult> VerifyPhone(Guid id, [FromRoute(Name = "phone_id")] Guid phoneId, HttpContext http, IMessageBus bus,
        CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;
        if (body!["code"] is not { } node || node.GetValueKind() != JsonValueKind.String
            || node.GetValue<string>() is not { Length: PhoneVerification.CodeDigits } code || !code.All(char.IsAsciiDigit))
            return ApiProblem.Validation([new FieldError("/code", $"'code' is required: the {PhoneVerification.CodeDigits} digits of the text message.")]);
        var outcome = await bus.InvokeAsync<WriteOutcome>(new VerifyPhoneNumber(id, phoneId, code, RequestContext.From(http, "api/v1")), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(ContactVerified.Instance);
    }
}
