using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Users.Api.Auditing;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing.Chain;

/// <summary>Tampering with the stored history as a database writer would, and the two ways of checking it.</summary>
public static class ChainSteps
{
    /// <summary>A registered user with a few updates: versions 1 (registered), 2 (verification requested), 3–5 (profile updates).</summary>
    public static async Task<Guid> UserWithHistoryAsync(this UsersStack stack, string name)
    {
        var id = await stack.RegisterSettledAsync(name, new { first_name = "Ada" });
        foreach (var first in new[] { "Augusta", "Countess", "Lovelace" })
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = first })).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        return id;
    }

    public static async Task<JsonObject> ProofAsync(this UsersStack stack, Guid id) =>
        await stack.GetObjectAsync($"/api/v1/users/{id}/history/proof");

    /// <summary>The breaks the proof reports, as "kind@version" (or "checkpoint@number").</summary>
    public static IReadOnlyList<string> Breaks(JsonObject proof) =>
        proof["verification"]!["breaks"]!.AsArray()
            .Select(b => $"{b!["kind"]}@{b["version"]?.GetValue<long>() ?? b["checkpoint"]!.GetValue<long>()}").ToList();

    public static async Task ExecuteAsync(this UsersStack stack, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", stack.Schema), connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Takes a checkpoint now (as the background writer would), waiting out another writer's lock.</summary>
    public static async Task<long> CheckpointAsync(this UsersStack stack)
    {
        var settings = stack.ApiServices.GetRequiredService<AuditSettings>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var connection = new NpgsqlConnection(stack.PostgresConnection);
            await connection.OpenAsync();
            if (await CheckpointWriter.TakeAsync(connection, stack.Schema, settings.Signer!, TimeProvider.System, TimeSpan.Zero, CancellationToken.None) is { } number)
                return number;
            await Task.Delay(100);
        }
        throw new InvalidOperationException("No checkpoint could be taken.");
    }

    /// <summary>Runs <c>Users.Api.dll audit verify …</c> as its own process against the stack's schema.</summary>
    public static async Task<(int ExitCode, string Output)> AuditVerifyAsync(this UsersStack stack, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Users.Api.dll"));
        start.ArgumentList.Add("audit");
        start.ArgumentList.Add("verify");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in stack.CommonSettings())
            start.Environment[key.Replace(":", "__")] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
