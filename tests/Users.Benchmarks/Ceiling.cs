using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Users.Benchmarks;

public sealed record CeilingResult(string Scenario, int Clients, double Seconds, double Tps, double LatencyAverageMs,
    double[] LoadAverage);

/// <summary>
/// The machine's own ceiling, measured in the same run: pgbench running the least one update must do (insert an
/// event row, bump the stream's version, upsert the read-model document, in one transaction) on tables of its own.
/// </summary>
public static partial class Ceiling
{
    private const string Transaction = """
        BEGIN;
        UPDATE {0}.streams SET version = version + 1, "timestamp" = now() WHERE id = :sid RETURNING version AS v \gset
        INSERT INTO {0}.events (stream_id, version, type, data) VALUES (:sid, :v, 'user_profile_updated', '{{"changes":{{"first_name":{{"from":"before","to":"after"}}}}}}');
        INSERT INTO {0}.docs (id, version, data, last_modified) VALUES (:sid, :v, '{{"id":1,"email":"a@b.test","fields":{{"first_name":"after"}}}}', now())
          ON CONFLICT (id) DO UPDATE SET version = excluded.version, data = excluded.data, last_modified = excluded.last_modified;
        END;
        """;

    public static async Task<List<CeilingResult>> RunAsync(Settings settings, CancellationToken ct)
    {
        var schema = settings.CeilingSchema;
        await using (var connection = new NpgsqlConnection(settings.Postgres))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"""
                DROP SCHEMA IF EXISTS {schema} CASCADE;
                CREATE SCHEMA {schema};
                CREATE TABLE {schema}.streams (id int PRIMARY KEY, version bigint NOT NULL, "timestamp" timestamptz NOT NULL DEFAULT now());
                CREATE TABLE {schema}.events (seq_id bigserial PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(),
                  stream_id int NOT NULL, version bigint NOT NULL, type varchar NOT NULL, data jsonb NOT NULL,
                  "timestamp" timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version));
                CREATE TABLE {schema}.docs (id int PRIMARY KEY, version bigint NOT NULL, data jsonb NOT NULL, last_modified timestamptz NOT NULL);
                INSERT INTO {schema}.streams (id, version) SELECT g, 0 FROM generate_series(1, 1000) g;
                """, connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        var dir = Directory.CreateTempSubdirectory("users-bench-");
        try
        {
            var distinct = Path.Combine(dir.FullName, "distinct.sql");
            var hot = Path.Combine(dir.FullName, "hot.sql");
            var body = string.Format(CultureInfo.InvariantCulture, Transaction, schema);
            await File.WriteAllTextAsync(distinct, "\\set sid :client_id + 1\n" + body, ct);
            await File.WriteAllTextAsync(hot, "\\set sid 1\n" + body, ct);

            var results = new List<CeilingResult>();
            foreach (var clients in settings.Clients)
            {
                results.Add(await PgBenchAsync("ceiling, distinct streams", distinct, clients, settings, ct));
                results.Add(await PgBenchAsync("ceiling, one hot stream", hot, clients, settings, ct));
            }
            return results;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<CeilingResult> PgBenchAsync(string scenario, string script, int clients, Settings settings,
        CancellationToken ct)
    {
        var pg = new NpgsqlConnectionStringBuilder(settings.Postgres);
        var seconds = Math.Max(1, (int)Math.Round(settings.Duration.TotalSeconds));
        var start = new ProcessStartInfo(settings.PgBench)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     "-n", "-M", "prepared", "-f", script, "-c", clients.ToString(CultureInfo.InvariantCulture),
                     "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                     "-T", seconds.ToString(CultureInfo.InvariantCulture),
                     "-h", pg.Host ?? "127.0.0.1", "-p", pg.Port.ToString(CultureInfo.InvariantCulture),
                     "-U", pg.Username ?? "postgres", pg.Database ?? "users",
                 })
            start.ArgumentList.Add(arg);
        start.Environment["PGPASSWORD"] = pg.Password ?? "";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pgbench failed ({process.ExitCode}):\n{output}");

        var tps = Number(TpsLine().Match(output));
        var latency = Number(LatencyLine().Match(output));
        if (double.IsNaN(tps))
            Console.WriteLine($"  note: no tps in pgbench's output:\n{output}");
        return new CeilingResult(scenario, clients, seconds, Math.Round(tps, 1), Math.Round(latency, 2), Load.Average());
    }

    private static double Number(Match m) =>
        m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();
}
