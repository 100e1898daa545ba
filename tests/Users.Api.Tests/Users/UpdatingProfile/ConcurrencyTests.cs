using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.Profile;

[Collection(ProfileCollection.Name)]
public sealed class ConcurrencyTests(ProfileStack stack)
{
    [Fact]
    public async Task fifty_parallel_updates_of_one_user_are_all_applied_with_gapless_versions()
    {
        var id = await stack.RegisterIdAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            stack.PatchAsync(id, $$"""{"company": "company {{i}}"}""")));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);

        var stream = await stack.StreamAsync(id);
        stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, 51).Select(v => (long)v));
        var updates = stream.Skip(1).Select(e => ((UserProfileUpdated)e.Data).Changes["company"]).ToList();
        updates.Select(c => c.To!.GetValue<string>()).Order().ShouldBe(Enumerable.Range(0, 50).Select(i => $"company {i}").Order());
        // Serialized, not lost: each writer saw the previous writer's value.
        for (var i = 1; i < updates.Count; i++)
            updates[i].From!.GetValue<string>().ShouldBe(updates[i - 1].To!.GetValue<string>());

        // The read model ends at the last version, with the last writer's value.
        var user = await stack.GetAsync(id);
        user["version"]!.GetValue<long>().ShouldBe(51);
        user["company"]!.GetValue<string>().ShouldBe(updates[^1].To!.GetValue<string>());
    }

    [Fact]
    public async Task with_if_match_exactly_one_of_parallel_writers_at_one_version_wins()
    {
        var id = await stack.RegisterIdAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            stack.PatchAsync(id, $$"""{"company": "c{{i}}"}""", ifMatch: "\"1\"")));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).ShouldAllBe(r =>
            r.StatusCode == HttpStatusCode.PreconditionFailed && r.Headers.ETag!.Tag == "\"2\"");
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task twenty_parallel_verifications_of_one_address_leave_exactly_one_verified_holder()
    {
        var contested = HttpJson.UniqueEmail("contested");
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => stack.RegisterIdAsync(new { email = contested })));

        var responses = await Task.WhenAll(ids.Select(id => stack.VerifyEmailAsync(id, contested)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        foreach (var lost in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            (await lost.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
                .ShouldBe([("/email", "Email has already been taken")]);

        var winner = ids[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.OK)];
        await using var session = stack.Store.QuerySession();
        (await session.LoadManyAsync<UserProfile>(ids)).Where(p => p.EmailVerified).Select(p => p.Id).ShouldBe([winner]);
        (await session.LoadAsync<EmailOwnership>(contested))!.UserId.ShouldBe(winner);
        // The losers appended nothing: their address stays unverified and their token unspent.
        foreach (var id in ids.Where(i => i != winner))
            (await stack.StreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task parallel_registrations_with_one_username_make_one_user_and_with_one_unverified_email_make_each()
    {
        // An unverified address claims nothing (the race is on verification: VerifiedClaimTests).
        var email = HttpJson.UniqueEmail("twin");
        var byEmail = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => stack.Api.PostJsonAsync("/api/v1/users", new { email })));
        byEmail.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);

        var username = "twin" + Guid.NewGuid().ToString("N")[..10];
        var byUsername = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            stack.Api.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail(), username })));
        byUsername.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var lost in byUsername.Where(r => r.StatusCode != HttpStatusCode.Created))
            (await lost.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors().ShouldBe([("/username", "Username has already been taken")]);
    }
}
