using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Auditing;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;
using Users.Projections.Encryption;

namespace Users.Api.Tests.Auditing.Encryption;

/// <summary>
/// Streams stored before encryption (plaintext): erasure still masks them, and <c>encrypt-events</c> seals them in
/// place, once, after which erasure leaves them as stored like any other.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PlaintextStreamTests(UsersStack stack)
{
    [Fact]
    public async Task a_stream_stored_in_plaintext_is_masked_on_erasure()
    {
        var (id, values) = await PlaintextStreamAsync();
        (await StoredAsync(id)).ShouldContain(r => r.Contains(values[1]), "stored in plaintext, as before encryption");

        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var rows = await StoredAsync(id);
        foreach (var value in values)
            rows.ShouldNotContain(r => r.Contains(value, StringComparison.OrdinalIgnoreCase), value);
        rows[0].ShouldContain(PersonalData.Erased);
        (await KeyRowsAsync(id)).ShouldBe(0, "an erasure creates no key");
        var history = (await stack.GetObjectAsync($"/api/v1/users/{id}/history"))["events"]!.AsArray();
        history[0]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe(PersonalData.Erased);
    }

    [Fact]
    public async Task encrypt_events_seals_a_plaintext_stream_in_place_once_and_erasure_then_rewrites_nothing()
    {
        var (id, values) = await PlaintextStreamAsync();
        var keys = stack.ApiServices.GetRequiredService<DataKeys>();

        var first = await EncryptingEvents.RunAsync(stack.Store, keys, CancellationToken.None);

        first.Events.ShouldBeGreaterThanOrEqualTo(2);
        var sealedRows = await StoredAsync(id);
        foreach (var value in values)
            sealedRows.ShouldNotContain(r => r.Contains(value, StringComparison.OrdinalIgnoreCase), value);
        sealedRows.ShouldAllBe(r => r.Contains("enc:v1:"));
        (await KeyRowsAsync(id)).ShouldBe(1);
        var history = (await stack.GetObjectAsync($"/api/v1/users/{id}/history"))["events"]!.AsArray();
        history[0]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe(values[1]);
        history[1]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe(values[2]);

        var second = await EncryptingEvents.RunAsync(stack.Store, keys, CancellationToken.None);
        second.Events.ShouldBe(0);
        (await StoredAsync(id)).ShouldBe(sealedRows);

        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await StoredAsync(id)).Take(sealedRows.Count).ShouldBe(sealedRows);
        (await KeyRowsAsync(id)).ShouldBe(0);
    }

    /// <summary>A user appended by a store without the sealing listener, as every stream was before encryption.</summary>
    private async Task<(Guid Id, string[] Values)> PlaintextStreamAsync()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var id = Guid.CreateVersion7();
        string[] values = [$"plain{m}@example.com", $"Plainfirst{m}", $"Plainsecond{m}"];
        using var before = DocumentStore.For(o => o.ConfigureUsersStore(stack.PostgresConnection, stack.Schema, Convert.FromBase64String(stack.MasterKey)));
        await using var session = before.LightweightSession();
        session.Events.StartStream<global::Users.Domain.User>(id,
            new UserRegistered(id, values[0], new Dictionary<string, JsonNode?> { ["first_name"] = values[1] }, null),
            new UserProfileUpdated(new Dictionary<string, FieldChange> { ["first_name"] = new(values[1], values[2]) }));
        await session.SaveChangesAsync();
        return (id, values);
    }

    private Task<List<string>> StoredAsync(Guid id) => stack.RawRowsAsync(
        "select seq_id, data::text from {schema}.mt_events where stream_id = @id order by version", ("id", id));

    private async Task<int> KeyRowsAsync(Guid id) =>
        int.Parse((await stack.RawRowsAsync("select count(*) from {schema}.mt_doc_userdatakey where id = @id", ("id", id))).Single());
}
