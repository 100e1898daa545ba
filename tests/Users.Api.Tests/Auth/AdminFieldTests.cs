using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Profile;

namespace Users.Api.Tests.Authorization;

/// <summary>Mass assignment (OWASP API3): every admin-only field of the catalogue, from a user and from an admin.</summary>
[Collection(StackCollection.Name)]
public sealed class AdminFieldTests(UsersStack stack)
{
    public static TheoryData<string> AdminFields()
    {
        var data = new TheoryData<string>();
        foreach (var field in ProfileFields.All.Where(f => f.Access == FieldAccess.Admin))
            data.Add(field.Name);
        return data;
    }

    [Fact]
    public void the_catalogue_has_admin_only_fields_to_exercise() =>
        ProfileFields.All.Count(f => f.Access == FieldAccess.Admin).ShouldBeGreaterThanOrEqualTo(2);

    [Theory]
    [MemberData(nameof(AdminFields))]
    public async Task an_admin_only_field_sent_by_the_user_is_refused_by_name_and_nothing_is_applied(string field)
    {
        var id = await stack.RegisterSettledAsync("mass");
        var user = stack.ClientFor(id);
        var current = await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();

        var response = await user.PatchJsonAsync($"/api/v1/users/{id}",
            new Dictionary<string, JsonNode?> { ["first_name"] = "Mallory", [field] = SampleFor(field, current) });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await response.ReadObjectAsync();
        problem["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["/" + field]);
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
        (await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync()).ContainsKey("first_name").ShouldBeFalse();
    }

    [Fact]
    public async Task every_admin_only_field_a_user_sends_is_named_in_one_refusal()
    {
        var id = await stack.RegisterSettledAsync("mass");
        var current = await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();
        var fields = ProfileFields.All.Where(f => f.Access == FieldAccess.Admin).Select(f => f.Name).ToList();
        var body = fields.ToDictionary(f => f, f => SampleFor(f, current));

        var response = await stack.ClientFor(id).PatchJsonAsync($"/api/v1/users/{id}", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var paths = (await response.ReadObjectAsync())["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>());
        paths.ShouldBe(fields.Select(f => "/" + f), ignoreOrder: true);
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(AdminFields))]
    public async Task an_admin_only_field_in_a_self_registration_is_refused_and_no_user_is_created(string field)
    {
        var email = HttpJson.UniqueEmail("self-made");
        var response = await stack.AnonymousClient().PostJsonAsync("/api/v1/users",
            new Dictionary<string, JsonNode?> { ["email"] = email, [field] = SampleFor(field, new JsonObject()) });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/" + field);
        await using var session = stack.Store.QuerySession();
        var key = email.ToLowerInvariant();
        (await Marten.QueryableExtensions.AnyAsync(session.Query<Projections.UserProfile>(), x => x.EmailKey == key)).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(AdminFields))]
    public async Task an_admin_only_field_sent_by_an_admin_is_applied_and_recorded_with_the_admin_as_actor(string field)
    {
        var id = await stack.RegisterSettledAsync("managed");
        var adminId = Guid.CreateVersion7();
        var admin = stack.ClientFor(adminId, "admin");
        var current = await (await admin.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();
        var value = SampleFor(field, current);

        var response = await admin.PatchJsonAsync($"/api/v1/users/{id}", new Dictionary<string, JsonNode?> { [field] = value });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        JsonNode.DeepEquals((await response.ReadObjectAsync())[field], value).ShouldBeTrue();
        var appended = (await stack.StreamAsync(id)).Skip(2).ToList();
        appended.ShouldNotBeEmpty();
        appended.Select(e => e.UserName).ShouldAllBe(actor => actor == adminId.ToString());
    }

    /// <summary>A valid value of the field's kind that differs from the user's current one, so that it is a change.</summary>
    private static JsonNode SampleFor(string field, JsonObject current)
    {
        var kind = ProfileFields.Find(field)!.Kind;
        var now = current[field];
        return kind switch
        {
            FieldKind.Boolean => JsonValue.Create(!(now?.GetValue<bool>() ?? false)),
            FieldKind.Text or FieldKind.Name => JsonValue.Create("v" + Guid.NewGuid().ToString("N")[..10]),
            FieldKind.Integer => JsonValue.Create((now?.GetValue<long>() ?? 0) + 1),
            FieldKind.Timestamp => JsonValue.Create(DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ")),
            FieldKind.ConsentMethod => JsonValue.Create(now?.GetValue<string>() == "opt-in" ? "text-ref" : "opt-in"),
            FieldKind.Uuid => JsonValue.Create(Guid.NewGuid()),
            _ => throw new InvalidOperationException($"Add a sample value for {kind} fields ('{field}') to this test."),
        };
    }
}
