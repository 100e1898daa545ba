using System.Text.Json.Nodes;
using Users.Contracts;

namespace Users.Api.Messaging.AsyncApi;

/// <summary>
/// One example of each contract for the AsyncAPI document: one user's story, in version order. A contract without
/// an example here fails <c>AsyncApiDocumentTests</c> by name.
/// </summary>
public static class ContractExamples
{
    private static readonly Guid Ada = Guid.Parse("01a2140e-fae1-77ed-9301-fd15925e3561");
    private static readonly Guid Alan = Guid.Parse("01a21a55-9d2e-7c41-8e0b-2f7f3c1d9a10");
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 18, 54, 30, 101, TimeSpan.Zero);
    private const string Admin = "01a20f00-0a0a-7b0b-8c0c-0d0d0e0e0f0f";

    /// <summary>Each event with who caused it.</summary>
    private static readonly (UserEvent Event, string Actor)[] Story =
    [
        (new UserRegistered { Email = "ada@example.com" }, "anonymous"),
        (new EmailVerificationRequested { Email = "ada@example.com", ExpiresAt = Start.AddDays(1) }, "system"),
        (new EmailVerified { Email = "ada@example.com" }, "anonymous"),
        (new UserProfileUpdated
        {
            Changes = new()
            {
                ["first_name"] = new FieldChange { From = "Ada", To = "Augusta" },
                ["company"] = new FieldChange { From = null, To = "Analytical Engines" },
            },
        }, Ada.ToString()),
        (new EmailChanged { OldEmail = "ada@example.com", NewEmail = "ada.lovelace@example.com" }, Ada.ToString()),
        (new EmailVerificationResendRequested { Email = "ada.lovelace@example.com" }, Ada.ToString()),
        (new EmailChangeReverted { RevertedEmail = "ada.lovelace@example.com", RestoredEmail = "ada@example.com" }, "anonymous"),
        (new PasswordChanged(), Ada.ToString()),
        (new SecondaryEmailAdded { EmailId = Guid.Parse("01a2141c-7b3e-7d40-9a51-5c6f0e2d4b11"), Email = "ada@work.example" }, Ada.ToString()),
        (new SecondaryEmailRemoved { EmailId = Guid.Parse("01a2141c-7b3e-7d40-9a51-5c6f0e2d4b11"), Email = "ada@work.example" }, Ada.ToString()),
        (new PhoneNumberAdded { PhoneNumberId = Guid.Parse("01a2141c-8c4f-7e51-8b62-6d7f1f3e5c22"), PhoneNumber = "+14155552671" }, Ada.ToString()),
        (new PhoneNumberRemoved { PhoneNumberId = Guid.Parse("01a2141c-8c4f-7e51-8b62-6d7f1f3e5c22"), PhoneNumber = "+14155552671" }, Ada.ToString()),
        (new SecondaryEmailVerified { EmailId = Guid.Parse("01a2141c-7b3e-7d40-9a51-5c6f0e2d4b11"), Email = "ada@work.example" }, Ada.ToString()),
        (new SecondaryEmailVerificationResendRequested { EmailId = Guid.Parse("01a2141c-7b3e-7d40-9a51-5c6f0e2d4b11"), Email = "ada@work.example" }, Ada.ToString()),
        (new PhoneNumberVerificationRequested { PhoneNumberId = Guid.Parse("01a2141c-8c4f-7e51-8b62-6d7f1f3e5c22"), PhoneNumber = "+14155552671" }, Ada.ToString()),
        (new PhoneNumberVerified { PhoneNumberId = Guid.Parse("01a2141c-8c4f-7e51-8b62-6d7f1f3e5c22"), PhoneNumber = "+14155552671" }, Ada.ToString()),
        (new UserFollowed { FolloweeId = Alan }, Ada.ToString()),
        (new UserUnfollowed { FolloweeId = Alan }, Ada.ToString()),
        (new UserDeactivated(), Admin),
        (new UserReactivated(), Admin),
        (new UserErased { ErasedFields = ["email", "first_name", "last_name", "phone_numbers"] }, Admin),
    ];

    /// <summary>Each contract type's example, stamped with the common fields (version = its place in the story).</summary>
    public static readonly IReadOnlyDictionary<Type, UserEvent> All = Story
        .Select((step, i) => step.Event with
        {
            EventId = new Guid($"0b9f2ee8-b156-4ec6-a53d-{i + 1:D12}"),
            UserId = Ada,
            Version = i + 1,
            OccurredAt = Start.AddMinutes(i),
            Actor = step.Actor,
            CorrelationId = "4bf92f3577b34da6a3ce929d0e0e4736",
        })
        .ToDictionary(e => e.GetType());

    public static JsonNode Json(UserEvent example) => System.Text.Json.JsonSerializer.SerializeToNode(example, example.GetType(), ContractSchemas.Json)!;
}
