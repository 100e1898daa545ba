using System.Net;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Npgsql;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing;

/// <summary>Requests with a chosen correlation id, and reads of what the store recorded.</summary>
public static class AuditingSteps
{
    public static async Task<HttpResponseMessage> SendAsync(this UsersStack stack, HttpMethod method, string url,
        object? json = null, string? correlationId = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null)
            request.Content = HttpJson.Body(json);
        if (correlationId is not null)
            request.Headers.Add("X-Correlation-Id", correlationId);
        return await stack.Api.SendAsync(request);
    }

    public static async Task<Guid> RegisterAsync(this UsersStack stack, object body, string? correlationId = null)
    {
        var created = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", body, correlationId);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    public static async Task<IReadOnlyList<IEvent>> StreamAsync(this UsersStack stack, Guid id)
    {
        await using var session = stack.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id);
    }

    /// <summary>Registration makes the worker append EmailVerificationRequested: wait until the stream has settled there.</summary>
    public static Task WaitForVersionAsync(this UsersStack stack, Guid id, int version) =>
        Eventually.Until(async () => (await stack.StreamAsync(id)).Count, n => n >= version, what: $"stream version {version}");

    public static async Task<JsonObject> GetObjectAsync(this UsersStack stack, string url)
    {
        var response = await stack.Api.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    /// <summary>Rows of a table in the stack's schema, every column as text, straight from PostgreSQL.</summary>
    public static async Task<List<string>> RawRowsAsync(this UsersStack stack, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", stack.Schema), connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString())));
        return rows;
    }
}
