using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Users.Api.Http;
using Users.Api.Users;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Dialects.Seed003;

public static class Seed003Mapping
{
    public const string Origin = "seed-003";
    private static readonly IReadOnlySet<string> Documented = DocumentedFields.Of<Seed003Request>();

    /// <summary>
    /// Names: the seed's own example sends <c>"middle_name": ""</c> and shows unset names as "", so "" (or null)
    /// clears a name. Emails and phone numbers are the user's whole sets: ours are a primary address plus
    /// further ones, so the primary stays primary while it is listed, otherwise the first listed becomes
    /// primary (a change of email: unverified, verification mail); the rest are the further addresses.
    /// </summary>
    public static (JsonObject Patch, List<FieldError> Errors) ToPatch(JsonObject body, string currentEmail)
    {
        var errors = DocumentedFields.Undocumented(body, Documented);
        var patch = new JsonObject();
        foreach (var name in new[] { "first_name", "middle_name", "last_name" })
            if (body.TryGetPropertyValue(name, out var value))
                patch[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == ""
                    ? null
                    : value?.DeepClone();

        if (body.ContainsKey("emails"))
        {
            if (Entries(body["emails"], "email") is { } addresses)
            {
                var primary = addresses.FirstOrDefault(a => SameAddress(a, currentEmail)) ?? addresses[0];
                patch["email"] = primary;
                var further = addresses.Where(a => !SameAddress(a, primary)).DistinctBy(EmailAddress.Normalize)
                    .Select(a => (JsonNode)new JsonObject { ["email"] = a }).ToArray();
                // No further address is the empty set, which the canonical patch spells null.
                patch["emails"] = further.Length == 0 ? null : new JsonArray(further);
            }
            else
                errors.Add(new FieldError("/emails", "'emails' must list at least one { \"email\": … }."));
        }

        if (body.ContainsKey("phone_numbers"))
        {
            if (Entries(body["phone_numbers"], "phone_number") is { } numbers)
                patch["phone_numbers"] = new JsonArray(numbers.Select(n => (JsonNode)new JsonObject { ["phone_number"] = n }).ToArray());
            else
                errors.Add(new FieldError("/phone_numbers", "'phone_numbers' must list at least one { \"phone_number\": … }."));
        }
        return (patch, errors);
    }

    /// <summary>The values of a documented list <c>[{ key: "…" }, …]</c> with at least one entry; null when it is not one.</summary>
    private static List<string>? Entries(JsonNode? list, string key)
    {
        if (list is not JsonArray { Count: > 0 } array)
            return null;
        var values = array.Select(item => item is JsonObject o && o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>() : null).ToList();
        return values.Any(v => v is null) ? null : values.OfType<string>().ToList();
    }

    private static bool SameAddress(string a, string b) =>
        string.Equals(EmailAddress.Normalize(a), EmailAddress.Normalize(b), StringComparison.Ordinal);

    public static Seed003Response ToResponse(UserView view)
    {
        var p = view.Profile;
        var emails = EmailsOf(p);
        var phones = PhoneNumbersOf(p);
        var user = new Seed003User(
            Seed003Ids.User(p.Id), p.Text("first_name") ?? "", p.Text("middle_name") ?? "", p.Text("last_name") ?? "",
            p.IsActive ? "active" : "inactive", p.IsActive,
            p.UpdatedAt.ToUnixTimeSeconds(), p.CreatedAt.ToUnixTimeSeconds(),
            emails, phones, [], [], [], []);
        return new Seed003Response(user.UserId, phones, emails, user);
    }

    // The primary address first, then the further ones as the read model keeps them, each with its own state.
    private static List<Seed003Email> EmailsOf(UserProfile p) =>
    [
        new(Seed003Ids.Email(p.Id, p.Email), p.EmailVerified, p.Email, p.UpdatedAt.ToUnixTimeSeconds(), p.CreatedAt.ToUnixTimeSeconds()),
        .. p.Emails.Select(e =>
            new Seed003Email(Seed003Ids.Email(p.Id, e.Email), e.Verified, e.Email, e.UpdatedAt.ToUnixTimeSeconds(), e.CreatedAt.ToUnixTimeSeconds())),
    ];

    private static List<Seed003PhoneNumber> PhoneNumbersOf(UserProfile p) =>
        p.PhoneNumbers.Select(n =>
            new Seed003PhoneNumber(Seed003Ids.PhoneNumber(p.Id, n.PhoneNumber), n.Verified, n.PhoneNumber,
                n.UpdatedAt.ToUnixTimeSeconds(), n.CreatedAt.ToUnixTimeSeconds()))
            .ToList();

    /// <summary>The seed documents no error; <c>error_type</c> is the status's reason phrase in snake case ("not_found").</summary>
    public static readonly DialectErrorShape Errors = new(Origin, e =>
        new DialectErrorBody(e.Status, new Seed003Error(e.Status, ErrorType(e.Status), e.Message, e.Errors)));

    private static string ErrorType(int status) =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(new string(ReasonPhrases.GetReasonPhrase(status).Where(char.IsLetter).ToArray()));
}
