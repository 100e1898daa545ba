using JasperFx.Events;
using Marten;

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

    public static async Task<IReadOnlyList<IEvent>> StreamAsync(this UsersStack stack, Guid id)
    {
        await using var session = stack.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id);
    }

    public static Task WaitForVersionAsync(this UsersStack stack, Guid id, int version) =>
        Eventually.Until(async () => (await stack.StreamAsync(id)).Count, n => n >= version, what: $"stream version {version}");
}
