using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain.Rules;

namespace Users.Api.Users;

/// <summary>
/// The checks a profile update passes before its command is sent, the same on the canonical PATCH and PUT and on
/// every seed dialect (<see cref="Dialects.DialectUpdate"/>): the fields the caller may not write, then every
/// failing value at once, values already taken included (the handler checks those again under the lock).
/// </summary>
public static class ProfileUpdateChecks
{
    /// <summary>403 naming the admin-only fields a non-admin sent, else those an API key may not change; null when none.</summary>
    public static WriteRefusal? RefusedFields(ClaimsPrincipal caller, JsonObject patch) =>
        ProfileAccess.AdminFieldsRefused(caller, patch) is { Count: > 0 } refused ? Forbidden(ProfileAccess.AdminOnlyDetail, refused)
        : ProfileAccess.KeyFieldsRefused(caller, patch) is { Count: > 0 } byKey ? Forbidden(ProfileAccess.InteractiveOnlyDetail, byKey)
        : null;

    /// <summary>422 naming every failing field of the patch; null when it is valid.</summary>
    public static async Task<WriteRefusal?> InvalidAsync(IValidator<ProfileValues> validator, IQuerySession query, Guid userId,
        JsonObject patch, CancellationToken ct)
    {
        var errors = await TakenValues.ValidateAsync(validator, query, userId, new ProfileValues(patch), tellTakenEmails: true, ct);
        return errors.Count > 0 ? WriteRefusal.Invalid(errors) : null;
    }

    public static WriteRefusal Forbidden(string detail, IReadOnlyList<FieldError> errors) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", detail, errors);
}
