using System.Text.Json.Nodes;
using Users.Domain.Events;

namespace Users.Domain;

/// <summary>
/// The write-side state of one user, rebuilt from the user's event stream.
/// Only what decisions need lives here; the read model is UserProfile in Users.Projections.
/// </summary>
public sealed partial class User
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Email { get; set; } = "";
    public bool EmailVerified { get; set; }
    public string? PasswordHash { get; set; }
    public Dictionary<string, JsonNode?> Profile { get; set; } = new(StringComparer.Ordinal);

    public static User Create(UserRegistered e) => new()
    {
        Id = e.UserId,
        Email = e.Email,
        PasswordHash = e.PasswordHash,
        Profile = new Dictionary<string, JsonNode?>(
            e.Profile.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())), StringComparer.Ordinal),
    };

    public void Apply(UserProfileUpdated e)
    {
        foreach (var (field, change) in e.Changes)
        {
            if (change.To is null)
                Profile.Remove(field);
            else
                Profile[field] = change.To.DeepClone();
        }
    }

    public void Apply(EmailChanged e)
    {
        Email = e.NewEmail;
        EmailVerified = false;
    }

    public void Apply(EmailVerified e)
    {
        if (string.Equals(e.Email, Email, StringComparison.OrdinalIgnoreCase))
            EmailVerified = true;
    }

    public void Apply(PasswordChanged e) => PasswordHash = e.PasswordHash;

    // Recorded by the notifications worker; it changes nothing the decisions read.
    public void Apply(EmailVerificationRequested e) { }

    public JsonNode? Get(string field) => Profile.GetValueOrDefault(field);
}
