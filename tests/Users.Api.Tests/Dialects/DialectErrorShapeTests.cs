using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Dialects;

/// <summary>
/// Every status a dialect can produce beyond what its seed documents, whoever produces it (the endpoint, body
/// reading, authentication, authorization, routing), answers in that seed's family; the canonical API keeps
/// problem details for the same requests.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DialectErrorShapeTests(UsersStack stack)
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static (UsersStack Stack, Guid Self, Guid Other)? _users;

    /// <summary>The statuses each dialect produces that its seed does not document (seed 004 documents 401, 404, 422).</summary>
    public static TheoryData<string, int> Undocumented
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var dialect in new[] { "seed-000", "seed-002", "seed-003" })
                foreach (var status in new[] { 400, 401, 403, 404, 405, 412, 413, 415, 422 })
                    data.Add(dialect, status);
            foreach (var status in new[] { 400, 405, 412, 413, 415 })
                data.Add("seed-004", status);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Undocumented))]
    public async Task a_status_the_seed_does_not_document_answers_in_the_seed_family(string dialect, int status)
    {
        var (self, other) = await UsersAsync();
        var call = DialectCall.Named(dialect);
        var expected = (HttpStatusCode)status;

        switch (status)
        {
            case 400:
                await Check(await call.SendAsync(stack, self.ToString(), Caller.Self, self, other, DialectCall.Json("{\"first_name\":")));
                break;
            case 401:
                await Check(await call.SendAsync(stack, self.ToString(), Caller.Nobody, self, other, DialectCall.Json(call.Body([]))));
                var forged = await call.SendAsync(stack, self.ToString(), Caller.Forged, self, other, DialectCall.Json(call.Body([])));
                forged.Headers.WwwAuthenticate.ShouldNotBeEmpty();
                await Check(forged);
                break;
            case 403:
                await Check(await call.SendJsonAsync(stack, self, Caller.Other, other, new JsonObject { ["first_name"] = "Mallory" }));
                break;
            case 404:
                await Check(await call.SendJsonAsync(stack, Guid.CreateVersion7(), Caller.Admin, other, new JsonObject { ["first_name"] = "Nobody" }));
                await Check(await call.SendAsync(stack, call.MalformedId, Caller.Admin, self, other,
                    DialectCall.Json(call.Body(new JsonObject { ["first_name"] = "Nobody" }))));
                break;
            case 405:
                // A method the route does not serve; sent with a header credential, which every route reads.
                var wrongMethod = await stack.ClientFor(self).GetAsync(call.Path(self.ToString()));
                wrongMethod.Content.Headers.Allow.ShouldContain(call.Method.Method);
                // /users/{id} is seed 002's PATCH and seed 004's PUT: where neither endpoint matched, the Upsun
                // object answers, which carries seed 004's {status: "error", message} too.
                if (dialect == "seed-004")
                {
                    var json = await wrongMethod.ShouldBeInFamilyAsync("seed-002", expected);
                    (json["status"]!.GetValue<string>(), json["message"]!.GetValueKind()).ShouldBe(("error", System.Text.Json.JsonValueKind.String));
                }
                else
                    await Check(wrongMethod);
                break;
            case 412:
                var stale = await call.SendJsonAsync(stack, self, Caller.Self, other, new JsonObject { ["first_name"] = "Stale" }, ifMatch: "\"999\"");
                stale.Headers.ETag.ShouldNotBeNull();
                await Check(stale);
                break;
            case 413:
                var huge = call.Body(new JsonObject { ["first_name"] = new string('a', 70_000) });
                await Check(await call.SendAsync(stack, self.ToString(), Caller.Self, self, other, DialectCall.Json(huge)));
                break;
            case 415:
                // Routing refuses the media type before any endpoint runs, so before seed 000's ?api_key= is read:
                // sent with a header credential, as for 405.
                var plain = new HttpRequestMessage(call.Method, call.Path(self.ToString()))
                {
                    Content = DialectCall.Json(call.Body(new JsonObject { ["first_name"] = "Plain" }), "text/plain"),
                };
                await Check(await stack.ClientFor(self).SendAsync(plain));
                break;
            case 422:
                var field = dialect == "seed-002" ? "middle_name" : "username";
                var invalid = await call.SendJsonAsync(stack, self, Caller.Self, other, new JsonObject { [field] = "x", ["first_name"] = "Ok" });
                var errors = DialectFamilies.FieldPaths(dialect, await invalid.ShouldBeInFamilyAsync(dialect, expected));
                errors.ShouldBe([dialect == "seed-002" ? field : "/" + field]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status));
        }

        // Nothing above was applied.
        (await stack.StreamAsync(self)).Count.ShouldBe(2);

        async Task Check(HttpResponseMessage response) => await response.ShouldBeInFamilyAsync(dialect, expected);
    }

    [Fact]
    public async Task canonical_routes_keep_problem_details_for_the_same_requests()
    {
        var (self, other) = await UsersAsync();
        var path = $"/api/v1/users/{self}";

        await (await stack.AnonymousClient().PutAsync(path, HttpJson.Body(new { first_name = "X" }))).ShouldBeProblemDetailsAsync(HttpStatusCode.Unauthorized);
        await (await stack.ClientFor(other).PutAsync(path, HttpJson.Body(new { first_name = "X" }))).ShouldBeProblemDetailsAsync(HttpStatusCode.Forbidden);
        await (await stack.Api.PutAsync($"/api/v1/users/{Guid.CreateVersion7()}", HttpJson.Body(new { first_name = "X" })))
            .ShouldBeProblemDetailsAsync(HttpStatusCode.NotFound);
        await (await stack.ClientFor(self).PutAsync(path, HttpJson.Body("{\"first_name\":"))).ShouldBeProblemDetailsAsync(HttpStatusCode.BadRequest);
        await (await stack.ClientFor(self).PutAsync(path, DialectCall.Json("{}", "text/plain"))).ShouldBeProblemDetailsAsync(HttpStatusCode.UnsupportedMediaType);
        await (await stack.ClientFor(self).PutAsync(path, HttpJson.Body(new { first_name = new string('a', 70_000) })))
            .ShouldBeProblemDetailsAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await stack.ClientFor(self).PutAsync(path, HttpJson.Body(new { nickname = "x" }))).ShouldBeProblemDetailsAsync(HttpStatusCode.UnprocessableEntity);
        await (await stack.ClientFor(self).PatchJsonAsync(path, new { first_name = "X" }, "\"999\"")).ShouldBeProblemDetailsAsync(HttpStatusCode.PreconditionFailed);
        (await stack.StreamAsync(self)).Count.ShouldBe(2);
    }

    private async Task<(Guid Self, Guid Other)> UsersAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_users is not { } users || users.Stack != stack)
                _users = users = (stack, await stack.RegisterSettledAsync("shape"), await stack.RegisterSettledAsync("shape-other"));
            return (users.Self, users.Other);
        }
        finally
        {
            Once.Release();
        }
    }
}
