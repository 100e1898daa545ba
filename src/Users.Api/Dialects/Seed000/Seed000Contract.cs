using System.Text.Json.Nodes;
using Users.Api.Http;

namespace Users.Api.Dialects.Seed000;

// The shapes of seeds 000/001 (PUT /api/v1/user/{user_id}), as documented: every field nullable.

public sealed record Seed000Request(
    string? FirstName, string? LastName, string? Email,
    bool? IsActive, bool? IsSuperuser, DateTimeOffset? Birthdate, bool? IsEnterprise, Guid? RoleId,
    string? Phone, string? State, string? Country, string? Address,
    Guid? ActiveBillingPlanId, Guid? NextBillingPlanId,
    string? StripeCustomerId, string? StripeSubscriptionId, string? StripeSubscriptionStatus, bool? StripeHasPaymentMethod,
    bool? IsTrial, bool? UsedTrial, bool? IsPaying,
    DateTimeOffset? StripeLastPaymentDate, DateTimeOffset? BillingUpdatedAt,
    DateTimeOffset? LastCreditsRefresh, DateTimeOffset? NextCreditsRefresh);

public sealed record Seed000User(
    string? FirstName, string? LastName, string? Email,
    bool? IsActive, bool? IsSuperuser, DateTimeOffset? Birthdate, bool? IsEnterprise, Guid? RoleId,
    string? Phone, string? State, string? Country, string? Address,
    Guid? ActiveBillingPlanId, Guid? NextBillingPlanId,
    string? StripeCustomerId, string? StripeSubscriptionId, string? StripeSubscriptionStatus, bool? StripeHasPaymentMethod,
    bool? IsTrial, bool? UsedTrial, bool? IsPaying,
    DateTimeOffset? StripeLastPaymentDate, DateTimeOffset? BillingUpdatedAt,
    DateTimeOffset? LastCreditsRefresh, DateTimeOffset? NextCreditsRefresh,
    Guid Id, int FollowerCount, int FollowingCount);

public sealed record Seed000Response(string? Message, JsonObject Meta, Seed000User? Data);

/// <summary>Any error, in the family's <c>{message, meta, data}</c>: the sentence, then status and failing fields in <c>meta</c>, no data.</summary>
public sealed record Seed000Error(string Message, Seed000ErrorMeta Meta, JsonObject? Data);

public sealed record Seed000ErrorMeta(int Status, IReadOnlyList<FieldError> Errors);
