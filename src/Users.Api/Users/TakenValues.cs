using System.Text.Json.Nodes;
using Marten;
using Users.Api.Http;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Users;

/// <summary>
/// Addresses and usernames in a validated body that another user already holds. The claim documents'
/// keys settle races at commit; this look-up gives the common case a clear 422 naming each field.
/// </summary>
public static class TakenValues
{
    public static async Task<IReadOnlyList<FieldError>> FindAsync(IQuerySession session, Guid userId, JsonObject values, CancellationToken ct)
    {
        var wanted = new List<(string Path, string Key)>();
        if (values["email"] is JsonValue email)
            wanted.Add(("/email", EmailAddress.Normalize(email.GetValue<string>())));
        if (values["emails"] is JsonArray list)
            for (var i = 0; i < list.Count; i++)
                wanted.Add(($"/emails/{i}/email", EmailAddress.Normalize(list[i]!["email"]!.GetValue<string>())));

        var errors = new List<FieldError>();
        if (wanted.Count > 0)
        {
            var held = (await session.LoadManyAsync<EmailClaim>(ct, wanted.Select(w => w.Key).Distinct()))
                .Where(c => c.UserId != userId).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(wanted.Where(w => held.Contains(w.Key)).Select(w => new FieldError(w.Path, UniqueViolation.EmailTaken)));
        }

        if (values["username"] is JsonValue username
            && await session.LoadAsync<UsernameClaim>(username.GetValue<string>().ToLowerInvariant(), ct) is { } claim
            && claim.UserId != userId)
            errors.Add(new FieldError("/username", UniqueViolation.UsernameTaken));
        return errors;
    }
}
