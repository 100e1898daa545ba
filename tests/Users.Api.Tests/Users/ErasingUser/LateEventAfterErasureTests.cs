using System.Net;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing;

/// <summary>A stack of its own: the test stops the worker, so that events reach it after the erasure.</summary>
public sealed class LateEventStack : UsersStack;

[CollectionDefinition(Name)]
public sealed class LateEventCollection : ICollectionFixture<LateEventStack>
{
    public const string Name = "late-event";
}

[Collection(LateEventCollection.Name)]
public sealed class LateEventAfterErasureTests(LateEventStack stack)
{
    [Fact]
    public async Task a_change_of_email_the_worker_gets_after_the_erasure_mails_nobody_and_leaves_no_token()
    {
        var oldEmail = HttpJson.UniqueEmail("late-old");
        var newEmail = HttpJson.UniqueEmail("late-new");
        var id = await stack.RegisterAsync(new { email = oldEmail });
        await stack.Mail.WaitForMailToAsync(oldEmail);
        await stack.WaitForVersionAsync(id, 2);

        // The worker is away (or behind) while the address changes and the user is erased.
        await stack.StopWorkerAsync();
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = newEmail })).StatusCode.ShouldBe(HttpStatusCode.OK); // v3
        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);       // v4
        await stack.StartWorkerAsync();

        await Eventually.Until(() => ProgressAsync(id), v => v >= 4, TimeSpan.FromSeconds(30), "the worker through UserErased (v4)");
        await Task.Delay(TimeSpan.FromSeconds(1));
        stack.Mail.To(oldEmail).Count.ShouldBe(1, "the registration's mail only: no notice with a revert link for an erased user");
        stack.Mail.To(newEmail).ShouldBeEmpty();
        (await stack.RawRowsAsync("select id from {schema}.mt_doc_emailreverttoken where data ->> 'user_id' = @id", ("id", id.ToString())))
            .ShouldBeEmpty();
    }

    private async Task<long> ProgressAsync(Guid id) =>
        (await stack.RawRowsAsync("select data ->> 'last_version' from {schema}.mt_doc_consumerprogress where id = @id",
            ("id", $"notifications:{id}"))).Select(long.Parse).SingleOrDefault();
}
