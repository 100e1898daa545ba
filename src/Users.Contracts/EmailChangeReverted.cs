using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The previous address undid a change of email with the link from its notice (an account recovery).</summary>
public sealed record EmailChangeReverted : UserEvent
{
    /// <summary>The address the change had set, now no longer the user's.</summary>
    [JsonPropertyName("reverted_email")] public string RevertedEmail { get; init; } = "";
    /// <summary>The address restored as the primary one, verified.</summary>
    [JsonPropertyName("restored_email")] public string RestoredEmail { get; init; } = "";
}
