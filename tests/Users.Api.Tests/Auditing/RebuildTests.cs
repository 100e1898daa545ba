using System.Text.Json.Nodes;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.Auditing;

/// <summary>
/// Guarantee 6: dropping and rebuilding the read model from the events gives the same documents, byte for byte.
/// A store of its own (the service's store configuration, a fresh schema), so nothing else appends meanwhile.
/// </summary>
public sealed class RebuildTests : IAsyncLifetime
{
    private const int Users = 300;
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];
    private DocumentStore _store = null!;
    private string _connection = "";

    public async Task InitializeAsync()
    {
        (_connection, _, _) = await TestServices.ResolveAsync();
        _store = DocumentStore.For(opts => opts.ConfigureUsersStore(_connection, _schema));
        await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task rebuilding_every_projection_reproduces_the_read_model_document_by_document()
    {
        var ids = Enumerable.Range(0, Users).Select(_ => Guid.CreateVersion7()).ToArray();
        var events = 0;
        foreach (var batch in ids.Select((id, i) => (id, i)).Chunk(50))
        {
            await using var session = _store.LightweightSession();
            session.LastModifiedBy = "rebuild-test";
            session.CorrelationId = "rebuild";
            foreach (var (id, i) in batch)
            {
                var stream = LifeOf(id, i, ids[(i + 1) % Users]);
                events += stream.Count;
                session.Events.StartStream<Domain.User>(id, stream);
            }
            await session.SaveChangesAsync();
        }
        // Every tenth user is erased, and their stored events masked, as DELETE does.
        foreach (var id in ids.Where((_, i) => i % 10 == 0))
            await _store.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id));
        events.ShouldBeGreaterThan(3000);

        var before = await ReadModelAsync();
        before.Count.ShouldBe(Users);
        before.Values.Count(d => d.Contains("\"is_erased\": true")).ShouldBe(Users / 10);

        // Wreck the read model: half the documents gone, one altered; the rebuild must restore them from events.
        await ExecuteAsync($"delete from {_schema}.mt_doc_userprofile where id = any(@ids)", ids.Where((_, i) => i % 2 == 1).ToArray());
        await ExecuteAsync($"update {_schema}.mt_doc_userprofile set data = jsonb_set(data, '{{email}}', '\"tampered@example.com\"') where id = any(@ids)", [ids[2]]);
        (await ReadModelAsync()).Count.ShouldBe(Users / 2);

        using var daemon = await _store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<UserProfileProjection>(CancellationToken.None);

        var after = await ReadModelAsync();
        after.Keys.ShouldBe(before.Keys);
        foreach (var (id, document) in before)
            after[id].ShouldBe(document, $"document {id}");
        JsonNode.Parse(after[ids[3]])!["fields"]!["company"]!.GetValue<string>().ShouldBe("Company 3");
        JsonNode.Parse(after[ids[3]])!["emails"]!.AsArray().Count.ShouldBe(1);
        JsonNode.Parse(after[ids[0]])!["emails"]!.AsArray().Count.ShouldBe(0); // erased

        // The claims too, with erased users (whose masked events hold no address) among them.
        var claims = await ClaimsAsync();
        // A username per live user, and the verified primary address of each live user who kept it (every third changed
        // it again, unverified); secondary addresses claim nothing.
        var keptVerifiedPrimary = Enumerable.Range(0, Users).Count(i => i % 10 != 0 && i % 3 != 0);
        claims.Count.ShouldBe(Users / 10 * 9 + keptVerifiedPrimary);
        await ExecuteAsync($"delete from {_schema}.mt_doc_emailclaim", []);
        await daemon.RebuildProjectionAsync<UniquenessProjection>(CancellationToken.None);
        (await ClaimsAsync()).ShouldBe(claims);
    }

    private async Task<List<string>> ClaimsAsync()
    {
        await using var query = _store.QuerySession();
        var emails = (await query.Query<EmailOwnership>().ToListAsync()).Select(c => $"email:{c.Id}:{c.UserId}");
        var usernames = (await query.Query<UsernameOwnership>().ToListAsync()).Select(c => $"username:{c.Id}:{c.UserId}");
        return emails.Concat(usernames).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every event type, in an order a real user could produce.</summary>
    private static List<object> LifeOf(Guid id, int i, Guid other)
    {
        var email = $"rebuild.{i}.{id:N}@example.com";
        var second = $"second.{i}.{id:N}@example.com";
        var secondId = Guid.CreateVersion7();
        var life = new List<object>
        {
            new UserRegistered(id, email, new() { ["first_name"] = $"First {i}", ["last_name"] = $"Last {i}" }, $"hash-{i}"),
            new EmailVerificationRequested(email, DateTimeOffset.UtcNow.AddDays(1)),
            new EmailVerified(email),
            new UserProfileUpdated(new() { ["first_name"] = new FieldChange($"First {i}", $"Renamed {i}"), ["company"] = new FieldChange(null, $"Company {i}") }),
            new EmailChanged(email, second),
            new EmailVerificationRequested(second, DateTimeOffset.UtcNow.AddDays(1)),
            new EmailChangeReverted(second, email),
            new PasswordChanged($"hash-{i}-2"),
            new UserDeactivated("test"),
            new UserReactivated(),
            new UserFollowed(other),
            new UserUnfollowed(other),
            new UserProfileUpdated(new() { ["last_name"] = new FieldChange($"Last {i}", null) }),
            new SecondaryEmailAdded(Guid.CreateVersion7(), $"work.{i}.{id:N}@example.com"),
            new SecondaryEmailAdded(secondId, $"old.{i}.{id:N}@example.com"),
            new SecondaryEmailRemoved(secondId, $"old.{i}.{id:N}@example.com"),
            new PhoneNumberAdded(Guid.CreateVersion7(), "+14155552671"),
            new UserProfileUpdated(new() { ["username"] = new FieldChange(null, $"u{i}.{id:N}") }),
        };
        if (i % 3 == 0)
            life.Add(new EmailChanged(email, $"third.{i}.{id:N}@example.com"));
        if (i % 10 == 0)
            life.Add(new UserErased(["email", "password", "company", "first_name"]));
        return life;
    }

    private async Task<SortedDictionary<Guid, string>> ReadModelAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, data::text from {_schema}.mt_doc_userprofile", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var documents = new SortedDictionary<Guid, string>();
        while (await reader.ReadAsync())
            documents[reader.GetGuid(0)] = reader.GetString(1);
        return documents;
    }

    private async Task ExecuteAsync(string sql, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids);
        await command.ExecuteNonQueryAsync();
    }
}
