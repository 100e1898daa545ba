using JasperFx.Events;
using Marten;
using Users.Api.Users.VerifyingEmail;
using Users.Projections;

namespace Users.Api.Tests.Infrastructure;

public static class StackUsers
{
    /// <summary>Registers a user as admin and waits for the worker's EmailVerificationRequested, so the stream is quiet.</summary>
    public static async Task<Guid> RegisterSettledAsync(this UsersStack stack, string name = "user", object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["email"] = HttpJson.UniqueEmail(name) };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties())
                body[p.Name] = p.GetValue(extra);
        var created = await stack.Api.PostJsonAsync("/api/v1/users", body);
        if ((int)created.StatusCode != 201)
            throw new InvalidOperationException($"Registration failed: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await stack.WaitForVersionAsync(id, 2);
        return id;
    }

    /// <summary>
    /// Verifies the user's current address as its owner would, through the API, with a token stored the way the
    /// worker stores one (no mail needed). Returns the API's answer.
    /// </summary>
    public static async Task<HttpResponseMessage> VerifyEmailAsync(this UsersStack stack, Guid id, string email)
    {
        var token = "t-" + Guid.NewGuid().ToString("N");
        await using (var session = stack.Store.LightweightSession())
        {
            session.Store(new EmailVerificationToken
            {
                Id = ServiceDefaults.SecretTokens.Hash(token),
                UserId = id,
                Email = email,
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
                CausationEventId = Guid.NewGuid(),
            });
            await session.SaveChangesAsync();
        }
        return await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token });
    }

    /// <summary>Registers a user (as admin) with the address and verifies it: its owner, in the claims' sense.</summary>
    public static async Task<Guid> RegisterVerifiedAsync(this UsersStack stack, string email, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["email"] = email };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties())
                body[p.Name] = p.GetValue(extra);
        var created = await stack.Api.PostJsonAsync("/api/v1/users", body);
        if ((int)created.StatusCode != 201)
            throw new InvalidOperationException($"Registration failed: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        var verified = await stack.VerifyEmailAsync(id, email);
        if ((int)verified.StatusCode != 200)
            throw new InvalidOperationException($"Verification failed: {(int)verified.StatusCode} {await verified.Content.ReadAsStringAsync()}");
        return id;
    }

    public static async Task<IReadOnlyList<IEvent>> StreamAsync(this UsersStack stack, Guid id)
    {
        await using var session = stack.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id);
    }

    /// <summary>Until the stream reaches the version (the worker appends EmailVerificationRequested after a registration or a change of address).</summary>
    public static Task WaitForVersionAsync(this UsersStack stack, Guid id, long version) =>
        Eventually.Until(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return (await session.Events.FetchStreamStateAsync(id))?.Version ?? 0;
        }, v => v >= version, what: $"stream version {version}");
}
