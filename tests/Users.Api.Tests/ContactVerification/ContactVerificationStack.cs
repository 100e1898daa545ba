using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.ContactVerification;

/// <summary>
/// The whole service mailing through the real mail catcher (smtp4dev, the one <c>scripts/services.sh</c> runs, read
/// through its HTTP API as a developer's browser reads it) and texting through the development SMS sender (read
/// through the worker's <c>/dev/sms</c>). Sends are capped at <see cref="SendsPerHour"/> an hour.
/// </summary>
public sealed partial class ContactVerificationStack : UsersStack
{
    public const int SendsPerHour = 3;

    public static readonly string CatcherUrl = Environment.GetEnvironmentVariable("SMTP4DEV_URL") ?? "http://127.0.0.1:5081";
    private static readonly string CatcherSmtpHost = Environment.GetEnvironmentVariable("Smtp__Host") ?? "127.0.0.1";
    private static readonly string CatcherSmtpPort = Environment.GetEnvironmentVariable("Smtp__Port") ?? "2526";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Smtp:Host"] = CatcherSmtpHost,
        ["Smtp:Port"] = CatcherSmtpPort,
        ["Users:VerificationCodesPerHour"] = SendsPerHour.ToString(),
    };

    public async Task<Guid> RegisterAsync() => await this.RegisterSettledAsync("contacts");

    /// <summary>Replaces the user's secondary addresses and phone numbers (as the user) and answers the profile.</summary>
    public async Task<JsonObject> SetContactsAsync(Guid id, string[]? emails = null, string[]? phoneNumbers = null)
    {
        var patch = new Dictionary<string, object?>();
        if (emails is not null)
            patch["emails"] = emails.Select(e => new { email = e }).ToArray();
        if (phoneNumbers is not null)
            patch["phone_numbers"] = phoneNumbers.Select(p => new { phone_number = p }).ToArray();
        var response = await ClientFor(id).PatchJsonAsync($"/api/v1/users/{id}", patch);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    public async Task<JsonObject> ProfileAsync(Guid id) => await (await Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();

    public static Guid IdOf(JsonObject profile, string collection, string key, string value) =>
        profile[collection]!.AsArray().Single(x => x![key]!.GetValue<string>() == value)!["id"]!.GetValue<Guid>();

    public static bool VerifiedOf(JsonObject profile, string collection, string key, string value) =>
        profile[collection]!.AsArray().Single(x => x![key]!.GetValue<string>() == value)!["verified"]!.GetValue<bool>();

    /// <summary>The link of the <paramref name="count"/>-th verification mail the catcher got for the address.</summary>
    public async Task<MailedLink> VerificationLinkAsync(string address, int count = 1)
    {
        var texts = await Eventually.Until(async () =>
        {
            var list = await _http.GetFromJsonAsync<JsonObject>(
                $"{CatcherUrl}/api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=50");
            var ids = list!["results"]!.AsArray()
                .Where(m => m!["to"]!.AsArray().Any(t => string.Equals(t!.GetValue<string>(), address, StringComparison.OrdinalIgnoreCase))
                            && m["subject"]!.GetValue<string>() == "Verify your email address")
                .OrderBy(m => m!["receivedDate"]!.GetValue<DateTimeOffset>())
                .Select(m => m!["id"]!.GetValue<string>()).ToList();
            var found = new List<string>();
            foreach (var mailId in ids)
                found.Add(await _http.GetStringAsync($"{CatcherUrl}/api/messages/{mailId}/plaintext"));
            return found;
        }, texts => texts.Count >= count, what: $"verification mail #{count} to {address} in the mail catcher");
        var match = LinkPattern().Match(texts[count - 1]);
        match.Success.ShouldBeTrue(texts[count - 1]);
        return new MailedLink(Guid.Parse(match.Groups["user"].Value),
            match.Groups["email"].Success ? Guid.Parse(match.Groups["email"].Value) : null, Uri.UnescapeDataString(match.Groups["token"].Value));
    }

    public async Task<int> MailCountAsync(string address)
    {
        var list = await _http.GetFromJsonAsync<JsonObject>($"{CatcherUrl}/api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=50");
        return list!["results"]!.AsArray().Count(m => m!["to"]!.AsArray()
            .Any(t => string.Equals(t!.GetValue<string>(), address, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Where the worker's HTTP host listens (it binds a free port).</summary>
    public string WorkerUrl => WorkerServices!.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The code of the <paramref name="count"/>-th text the development sender kept for the number.</summary>
    public async Task<string> TextedCodeAsync(string number, int count = 1)
    {
        var texts = await Eventually.Until(async () =>
            (await _http.GetFromJsonAsync<JsonArray>($"{WorkerUrl}/dev/sms/messages?to={Uri.EscapeDataString(number)}"))!
                .Select(m => m!["text"]!.GetValue<string>()).Reverse().ToList(),
            texts => texts.Count >= count, what: $"text #{count} to {number} on /dev/sms");
        return CodePattern().Match(texts[count - 1]).Groups[1].Value;
    }

    public async Task<string> DevSmsPageAsync() => await _http.GetStringAsync($"{WorkerUrl}/dev/sms");

    /// <summary>A French mobile number (+33 61…), valid for libphonenumber.</summary>
    public static string UniquePhoneNumber() => "+3361" + Random.Shared.Next(1_000_000, 9_999_999);

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [GeneratedRegex(@"verify-email\.html\?user_id=(?<user>[0-9a-f-]{36})(&email_id=(?<email>[0-9a-f-]{36}))?&token=(?<token>[A-Za-z0-9_\-%]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"code: ([0-9]{6})")]
    private static partial Regex CodePattern();
}

public sealed record MailedLink(Guid UserId, Guid? EmailId, string Token);

[CollectionDefinition(Name)]
public sealed class ContactVerificationCollection : ICollectionFixture<ContactVerificationStack>
{
    public const string Name = "contact-verification";
}
