using System.Text.Json.Nodes;
using FluentValidation;
using Marten;
using Users.Api.Http;
using Users.Domain.Profile;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Users;

/// <summary>
/// Addresses and usernames in a body that another user already holds: a username, or an address another account
/// has verified (an unverified address is nobody's yet, see <see cref="UniquenessProjection"/>). The claim documents'
/// keys settle races at commit; this look-up gives the common case a clear 422 naming each field.
/// </summary>
public static class TakenValues
{
    /// <summary>
    /// Every failing field of a profile body in one list: the validator's findings and the values already taken,
    /// in the catalogue's field order (the validator's own order), so that a client fixes everything in one go.
    /// <paramref name="tellTakenEmails"/> is false for anonymous registration, which must not tell whether an
    /// address has an account.
    /// </summary>
    public static async Task<IReadOnlyList<FieldError>> ValidateAsync(IValidator<ProfileValues> validator, IQuerySession session,
        Guid userId, ProfileValues values, bool tellTakenEmails, CancellationToken ct)
    {
        var validation = await validator.ValidateAsync(values, ct);
        var errors = validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList();
        // A value that breaks its own rule (or sits in a list that does) is reported for that alone, and never looked up.
        var invalid = errors.Select(e => e.Path).ToList();
        bool Valid(string path) => !invalid.Any(bad => path == bad || path.StartsWith(bad + "/", StringComparison.Ordinal));
        errors.AddRange(await FindAsync(session, userId, values.Json, tellTakenEmails, ct, Valid));
        return errors.OrderBy(e => CatalogueIndex(e.Path)).ToList();
    }

    /// <summary>The values in a body that another user holds; values of the wrong shape are the validator's to report.</summary>
    public static async Task<IReadOnlyList<FieldError>> FindAsync(IQuerySession session, Guid userId, JsonObject values,
        bool tellTakenEmails, CancellationToken ct, Func<string, bool>? lookUp = null)
    {
        lookUp ??= _ => true;
        var wanted = new List<(string Path, string Key)>();
        if (tellTakenEmails)
        {
            if (StringOf(values["email"]) is { } email && lookUp("/email"))
                wanted.Add(("/email", EmailAddress.Normalize(email)));
            if (values["emails"] is JsonArray list)
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is JsonObject item && StringOf(item["email"]) is { } secondary && lookUp($"/emails/{i}/email"))
                        wanted.Add(($"/emails/{i}/email", EmailAddress.Normalize(secondary)));
        }

        var errors = new List<FieldError>();
        if (wanted.Count > 0)
        {
            var held = (await session.LoadManyAsync<EmailOwnership>(ct, wanted.Select(w => w.Key).Distinct()))
                .Where(c => c.UserId != userId).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(wanted.Where(w => held.Contains(w.Key)).Select(w => new FieldError(w.Path, UniqueViolation.EmailTaken)));
        }

        if (StringOf(values["username"]) is { } username && lookUp("/username")
            && await session.LoadAsync<UsernameOwnership>(username.ToLowerInvariant(), ct) is { } claim
            && claim.UserId != userId)
            errors.Add(new FieldError("/username", UniqueViolation.UsernameTaken));
        return errors;
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    // Unknown and read-only fields (not in the writable catalogue) come first, as the validator reports them.
    private static int CatalogueIndex(string pointer)
    {
        var segment = pointer.Split('/', 3) is [_, var first, ..] ? first.Replace("~1", "/").Replace("~0", "~") : "";
        for (var i = 0; i < ProfileFields.Writable.Count; i++)
            if (ProfileFields.Writable[i].Name == segment)
                return i;
        return -1;
    }
}
