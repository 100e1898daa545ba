using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace Users.Api.Tests.Infrastructure;

/// <summary>Requests with a chosen correlation id, and reads of what the store recorded.</summary>
public static class AuditingSteps
{
    public static Task<HttpResponseMessage> SendAsync(this UsersStack stack, HttpMethod method, string url,
        object? json = null, string? correlationId = null) =>
        stack.Api.RequestAsync(method, url, json is null ? null : HttpJson.Body(json), correlationId: correlationId);

    public static async Task<Guid> RegisterAsync(this UsersStack stack, object body, string? correlationId = null)
    {
        var created = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", body, correlationId);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

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
