using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Profile;
using Xunit.Abstractions;

namespace Users.Api.Tests.Profile;

/// <summary>
/// Thousands of generated malformed or hostile bodies: none may get a 5xx, none may append an event.
/// Every body is wrong in at least one way, so a 2xx would also be a bug.
/// </summary>
[Collection(ProfileCollection.Name)]
public sealed class HostileInputTests(ProfileStack stack, ITestOutputHelper output)
{
    private const int Bodies = 2400;

    [Fact]
    public async Task generated_hostile_bodies_never_get_a_5xx_and_never_append_an_event()
    {
        var id = await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail("target"), first_name = "Ada" });
        var before = await stack.EventCountAsync();
        var targetBefore = await stack.GetAsync(id);

        var random = new Random(20261125);
        var cases = Enumerable.Range(0, Bodies).Select(i => Generate(random, i)).ToList();
        var statuses = new ConcurrentBag<(int Status, string Kind, string Route)>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(cases.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            var (c, i) = item;
            var (method, url, route) = (i % 3) switch
            {
                0 => (HttpMethod.Patch, $"/api/v1/users/{id}", "PATCH"),
                1 => (HttpMethod.Put, $"/api/v1/users/{id}", "PUT"),
                _ => (HttpMethod.Post, "/api/v1/users", "POST"),
            };
            var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(c.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(i % 5 == 0 ? "application/merge-patch+json" : "application/json");
            using var response = await stack.Api.SendAsync(request, ct);
            statuses.Add(((int)response.StatusCode, c.Kind, route));
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode < 400)
                output.WriteLine($"{(int)response.StatusCode} {route} {c.Kind}: {Encoding.UTF8.GetString(c.Body)[..Math.Min(300, c.Body.Length)]} → {await response.Content.ReadAsStringAsync(ct)}");
        });

        output.WriteLine($"{Bodies} bodies in {clock.ElapsedMilliseconds} ms: " +
            string.Join(", ", statuses.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        output.WriteLine(string.Join(", ", statuses.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));

        statuses.Count.ShouldBe(Bodies);
        statuses.Where(s => s.Status >= 500).ShouldBeEmpty();
        statuses.Where(s => s.Status < 400).ShouldBeEmpty();
        (await stack.EventCountAsync()).ShouldBe(before);
        (await stack.GetAsync(id)).ToJsonString().ShouldBe(targetBefore.ToJsonString());
    }

    private sealed record Case(string Kind, byte[] Body);

    private static readonly string[] FieldNames = ProfileFields.All.Select(f => f.Name).ToArray();

    private static Case Generate(Random r, int i) => (i % 12) switch
    {
        0 => new("wrong-types", Json(WrongTypes(r))),
        1 => new("huge-string", Json(Obj(("email", Str("a@example.com")), (Pick(r), Str(new string('x', r.Next(300, 60_000))))))),
        2 => new("too-large", Encoding.UTF8.GetBytes($$"""{"company": "{{new string('y', 70_000 + r.Next(1000))}}"}""")),
        3 => new("deep-nesting", Encoding.UTF8.GetBytes(Nest(r.Next(17, 2000)))),
        4 => new("invalid-utf8", InvalidUtf8(r)),
        5 => new("nulls-everywhere", Json("{" + string.Join(",", FieldNames.Select(f => $"\"{f}\": null")) + "}")),
        6 => new("unknown-fields", Json(Obj(("email", Str("x@example.com")), ($"field_{r.Next()}", Str("v")), ("__proto__", "{}"), ("$where", "1")))),
        7 => new("malformed", Encoding.UTF8.GetBytes(Malformed(r))),
        8 => new("bad-escapes", Json(Obj(("email", Str("b@example.com")), (Pick(r), r.Next(3) switch
        {
            0 => "\"\\ud800\"",
            1 => "\"a\\u0000b\"",
            _ => "\"\\udfff\\ud800\"",
        })))),
        9 => new("not-an-object", Encoding.UTF8.GetBytes(r.Next(6) switch
        {
            0 => "[]",
            1 => "42",
            2 => "\"email\"",
            3 => "null",
            4 => "",
            _ => "true",
        })),
        10 => new("bad-sub-collections", Json(Obj(("email", Str("c@example.com")), r.Next(4) switch
        {
            0 => ("emails", "[" + string.Join(",", Enumerable.Repeat("{\"email\":\"a@b.co\"}", r.Next(21, 200))) + "]"),
            1 => ("emails", "[{\"email\": {\"$gt\": \"\"}}]"),
            2 => ("phone_numbers", "[{\"phone_number\": \"+1" + new string('9', r.Next(15, 500)) + "\"}]"),
            _ => ("notifications", "[" + string.Join(",", Enumerable.Repeat("null", r.Next(1, 50))) + "]"),
        }))),
        _ => new("duplicate-keys", Json($$"""{"email": "d@example.com", "first_name": "A", "first_name": "B"}""")),
    };

    private static string Pick(Random r) => FieldNames[r.Next(FieldNames.Length)];

    private static string Str(string s) => JsonSerializer.Serialize(s);

    private static string Obj(params (string Name, string Json)[] members) =>
        "{" + string.Join(",", members.Select(m => $"{JsonSerializer.Serialize(m.Name)}: {m.Json}")) + "}";

    private static byte[] Json(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Every field of the catalogue with a value of a type it never takes (plus an unknown one, so no body is valid).</summary>
    private static string WrongTypes(Random r)
    {
        string[] odd = ["12345", "-1.5e308", "true", "[1,2,3]", "{\"a\":{\"b\":[]}}", "\"\"", "\"" + new string('z', 5000) + "\"", "[null]", "{}", "1e400"];
        var members = Enumerable.Range(0, r.Next(1, 8)).Select(_ => (Pick(r), odd[r.Next(odd.Length)])).DistinctBy(m => m.Item1).ToList();
        members.Add(("email", odd[r.Next(odd.Length)]));
        return Obj(members.DistinctBy(m => m.Item1).ToArray());
    }

    private static string Nest(int depth) =>
        "{\"first_name\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}";

    private static byte[] InvalidUtf8(Random r)
    {
        byte[][] bad = [[0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xF0, 0x28, 0x8C, 0xBC], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
        return [.. Encoding.UTF8.GetBytes("{\"first_name\": \"Ad"), .. bad[r.Next(bad.Length)], .. Encoding.UTF8.GetBytes("a\"}")];
    }

    private static string Malformed(Random r) => r.Next(10) switch
    {
        0 => "{\"first_name\": \"Ada\"",
        1 => "{\"first_name\": \"Ada\",}",
        2 => "{'first_name': 'Ada'}",
        3 => "{\"first_name\": NaN}",
        4 => "{\"first_name\": \"Ada\" /* comment */}",
        5 => "{first_name: \"Ada\"}",
        6 => "{\"first_name\": \"Ada\"}{\"x\":1}",
        7 => "{\"first_name\": \"unterminated}",
        8 => "\uFEFF{\"a\" \"b\"}",
        _ => "{\"first_name\": 01}",
    };
}
