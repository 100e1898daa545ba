using System.Net;
using Marten;
using Users.Api.Auth;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Tests.Authorization;

/// <summary>
/// Every endpoint × every kind of caller, with the status each must get; a refused write leaves the
/// stream (and the key documents) as they were.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AuthorizationMatrixTests(UsersStack stack)
{
    public static readonly string[] Callers =
        ["anonymous", "self", "other_user", "admin", "auditor", "revoked_key", "expired_token", "forged_token", "deactivated_user"];

    // Expected status per endpoint, in the order of Callers. Verify redeems a wrong token: 422 means "let in".
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        ["register"] = [201, 201, 201, 201, 403, 401, 401, 401, 401],
        ["get_profile"] = [401, 200, 403, 200, 200, 401, 401, 401, 401],
        ["patch_profile"] = [401, 200, 403, 200, 403, 401, 401, 401, 401],
        ["put_profile"] = [401, 200, 403, 200, 403, 401, 401, 401, 401],
        ["verify_email"] = [422, 422, 422, 422, 422, 401, 401, 401, 401],
        ["issue_api_key"] = [401, 201, 403, 201, 403, 401, 401, 401, 401],
        ["list_api_keys"] = [401, 200, 403, 200, 200, 401, 401, 401, 401],
        ["revoke_api_key"] = [401, 204, 403, 204, 403, 401, 401, 401, 401],
    };

    private static readonly HashSet<string> Writes =
        ["register", "patch_profile", "put_profile", "verify_email", "issue_api_key", "revoke_api_key"];

    public static TheoryData<string, string, int> Cells()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (endpoint, statuses) in Expected)
            for (var i = 0; i < Callers.Length; i++)
                data.Add(endpoint, Callers[i], statuses[i]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task endpoint_answers_caller_with_the_expected_status_and_refused_writes_append_nothing(
        string endpoint, string caller, int expected)
    {
        var people = await Population.ForAsync(stack);
        var client = people.Client(caller);
        // A deactivated user tries their own profile: the credential itself must be what fails.
        var target = caller == "deactivated_user" ? people.Deactivated : people.Target;
        var keyToRevoke = endpoint == "revoke_api_key" ? await IssueKeyAsync(target) : Guid.Empty;
        var email = HttpJson.UniqueEmail("matrix");
        var eventsBefore = (await stack.StreamAsync(target)).Count;
        var keysBefore = await KeysOfAsync(target);

        var response = endpoint switch
        {
            "register" => await client.PostJsonAsync("/api/v1/users", new { email }),
            "get_profile" => await client.GetAsync($"/api/v1/users/{target}"),
            "patch_profile" => await client.PatchJsonAsync($"/api/v1/users/{target}", new { first_name = "P" + Guid.NewGuid().ToString("N")[..8] }),
            "put_profile" => await client.PutAsync($"/api/v1/users/{target}", HttpJson.Body(new { first_name = "Q" + Guid.NewGuid().ToString("N")[..8] })),
            "verify_email" => await client.PostJsonAsync($"/api/v1/users/{target}/email/verify", new { token = "not-the-token" }),
            "issue_api_key" => await client.PostJsonAsync($"/api/v1/users/{target}/api-keys", new { name = "matrix" }),
            "list_api_keys" => await client.GetAsync($"/api/v1/users/{target}/api-keys"),
            "revoke_api_key" => await client.DeleteAsync($"/api/v1/users/{target}/api-keys/{keyToRevoke}"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };

        ((int)response.StatusCode).ShouldBe(expected, await response.Content.ReadAsStringAsync());
        if (expected >= 400)
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        if (expected == 401)
            response.Headers.WwwAuthenticate.ShouldNotBeEmpty();

        if (expected >= 400 && Writes.Contains(endpoint))
        {
            (await stack.StreamAsync(target)).Count.ShouldBe(eventsBefore);
            (await KeysOfAsync(target)).ShouldBe(keysBefore);
            if (endpoint == "register")
            {
                await using var session = stack.Store.QuerySession();
                var key = EmailAddress.Normalize(email);
                (await session.Query<UserProfile>().AnyAsync(x => x.EmailKey == key)).ShouldBeFalse();
            }
        }
    }

    private async Task<Guid> IssueKeyAsync(Guid userId)
    {
        var issued = await stack.Api.PostJsonAsync($"/api/v1/users/{userId}/api-keys", new { name = "to revoke" });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await issued.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    /// <summary>The user's keys as (id, revoked) pairs, to see that a refused issue or revoke changed none.</summary>
    private async Task<List<string>> KeysOfAsync(Guid userId)
    {
        await using var session = stack.Store.QuerySession();
        var keys = await session.Query<ApiKey>().Where(x => x.UserId == userId).ToListAsync();
        return keys.Select(k => $"{k.Id}:{k.RevokedAt is not null}").Order().ToList();
    }

    /// <summary>The users and credentials of the matrix, made once per stack.</summary>
    private sealed class Population
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static (UsersStack Stack, Population People)? _made;

        public Guid Target { get; private init; }
        public Guid Other { get; private init; }
        public Guid Deactivated { get; private init; }
        private Dictionary<string, HttpClient> Clients { get; init; } = [];

        public HttpClient Client(string caller) => Clients[caller];

        public static async Task<Population> ForAsync(UsersStack stack)
        {
            await Gate.WaitAsync();
            try
            {
                if (_made is { } made && made.Stack == stack)
                    return made.People;
                var people = await MakeAsync(stack);
                _made = (stack, people);
                return people;
            }
            finally
            {
                Gate.Release();
            }
        }

        private static async Task<Population> MakeAsync(UsersStack stack)
        {
            var target = await stack.RegisterSettledAsync("target");
            var other = await stack.RegisterSettledAsync("other");
            var deactivated = await stack.RegisterSettledAsync("deactivated");
            await using (var session = stack.Store.LightweightSession())
            {
                (await session.Events.FetchForWriting<Domain.User>(deactivated)).AppendOne(new UserDeactivated("matrix test"));
                await session.SaveChangesAsync();
            }

            var issued = await (await stack.Api.PostJsonAsync($"/api/v1/users/{target}/api-keys", new { name = "revoked" })).ReadObjectAsync();
            var revokedKey = issued["key"]!.GetValue<string>();
            (await stack.Api.DeleteAsync($"/api/v1/users/{target}/api-keys/{issued["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

            return new Population
            {
                Target = target,
                Other = other,
                Deactivated = deactivated,
                Clients = new Dictionary<string, HttpClient>
                {
                    ["anonymous"] = stack.AnonymousClient(),
                    ["self"] = stack.ClientFor(target),
                    ["other_user"] = stack.ClientFor(other),
                    ["admin"] = stack.ClientFor(Guid.CreateVersion7(), "admin"),
                    ["auditor"] = stack.ClientFor(Guid.CreateVersion7(), "auditor"),
                    ["revoked_key"] = stack.ClientWithApiKey(revokedKey),
                    ["expired_token"] = stack.ClientWithToken(stack.Token(target, expires: DateTimeOffset.UtcNow.AddMinutes(-5))),
                    ["forged_token"] = stack.ClientWithToken(stack.Token(target, signingKey: "forged-" + Guid.NewGuid().ToString("N") + "-key")),
                    ["deactivated_user"] = stack.ClientFor(deactivated),
                },
            };
        }
    }
}
