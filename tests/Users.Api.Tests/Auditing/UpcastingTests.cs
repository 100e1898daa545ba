using System.Net;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Auditing;

[Collection(StackCollection.Name)]
public sealed class UpcastingTests(UsersStack stack)
{
    [Fact]
    public async Task a_stored_first_shape_profile_update_is_read_as_the_current_event_everywhere()
    {
        var id = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("upcast"), first_name = "Ada" });
        await stack.WaitForVersionAsync(id, 2);

        // A row as the first release wrote it: new values only, under the v1 type name.
        await stack.RawRowsAsync("""
            with next as (update {schema}.mt_streams set version = version + 1 where id = @id returning version)
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name)
            select nextval('{schema}.mt_events_sequence'), gen_random_uuid(), @id, next.version,
                   '{"fields": {"first_name": "Augusta", "last_name": "King"}}'::jsonb, 'user_profile_updated_v1', now(),
                   '*DEFAULT*', 'Users.Domain.Events.Versions.UserProfileUpdatedV1, Users.Domain', '{"origin": "api/v0"}'::jsonb, 'legacy'
            from next
            returning version
            """, ("id", id));

        var events = await stack.StreamAsync(id);
        events.Count.ShouldBe(3);
        var upcast = events[2].Data.ShouldBeOfType<UserProfileUpdated>();
        upcast.Changes.Keys.Order().ShouldBe(["first_name", "last_name"]);
        upcast.Changes["first_name"].To!.GetValue<string>().ShouldBe("Augusta");

        // Live aggregation, history and the write side all see the current shape.
        var past = await stack.GetObjectAsync($"/api/v1/users/{id}?version=3");
        past["first_name"]!.GetValue<string>().ShouldBe("Augusta");
        past["last_name"]!.GetValue<string>().ShouldBe("King");
        var history = await stack.GetObjectAsync($"/api/v1/users/{id}/history?after_version=2");
        history["events"]![0]!["type"]!.GetValue<string>().ShouldBe("user_profile_updated");
        history["events"]![0]!["changes"]!["first_name"]!["from"]!.GetValue<string>().ShouldBe("Ada");
        // A row written behind Marten's back (as by an older version) is not in the write side's inline
        // snapshot: rebuild it from the stream, as `projections rebuild` does after an upgrade.
        await stack.Store.Advanced.RebuildSingleStreamAsync<global::Users.Domain.User>(id);
        var patched = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { last_name = "Lovelace" });
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var update = (await stack.StreamAsync(id))[3].Data.ShouldBeOfType<UserProfileUpdated>();
        update.Changes["last_name"].From!.GetValue<string>().ShouldBe("King");
    }
}
