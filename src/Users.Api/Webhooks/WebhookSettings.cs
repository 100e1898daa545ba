namespace Users.Api.Webhooks;

/// <summary>
/// The <c>Webhooks:*</c> settings: where deliveries may go, how long they are tried, when an endpoint is given up.
/// </summary>
public sealed record WebhookSettings
{
    /// <summary>Host names or IP literals deliveries may go to; empty: any public host.</summary>
    public IReadOnlySet<string> AllowedHosts { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Private, loopback, link-local and other non-public addresses are reachable (trusted networks only).</summary>
    public bool AllowPrivateNetworks { get; init; }
    /// <summary>Plain http URLs are accepted (development and tests); otherwise https only.</summary>
    public bool AllowHttp { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The first retry's pause; each further one doubles, up to <see cref="RetryMaxDelay"/>, with ±50 % jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromHours(10);
    /// <summary>How long after its event a delivery is still tried; then it fails.</summary>
    public TimeSpan RetryWindow { get; init; } = TimeSpan.FromDays(3);
    /// <summary>An endpoint is disabled after this many failed deliveries in a row (each one tried for the whole window).</summary>
    public int DisableAfterFailedDeliveries { get; init; } = 5;
    /// <summary>How long a superseded secret keeps signing after a rotation.</summary>
    public TimeSpan RotationOverlap { get; init; } = TimeSpan.FromHours(24);
    /// <summary>How often a node looks for due deliveries when nothing woke it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Deliveries sent at once by one node.</summary>
    public int Concurrency { get; init; } = 32;
    /// <summary>Where the worker mails the notice that an endpoint was disabled; none: no mail.</summary>
    public string? AdminEmail { get; init; }

    public static WebhookSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Webhooks");
        var defaults = new WebhookSettings();
        return new WebhookSettings
        {
            AllowedHosts = new HashSet<string>(
                (section.GetSection("AllowedHosts").Get<string[]>() ?? [])
                    .Concat((section["AllowedHosts"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(h => h.Trim().Trim('[', ']')),
                StringComparer.OrdinalIgnoreCase),
            AllowPrivateNetworks = section.GetValue("AllowPrivateNetworks", false),
            AllowHttp = section.GetValue("AllowHttp", false),
            Timeout = Span(section["Timeout"], defaults.Timeout),
            RetryBaseDelay = Span(section["RetryBaseDelay"], defaults.RetryBaseDelay),
            RetryMaxDelay = Span(section["RetryMaxDelay"], defaults.RetryMaxDelay),
            RetryWindow = Span(section["RetryWindow"], defaults.RetryWindow),
            DisableAfterFailedDeliveries = section.GetValue("DisableAfterFailedDeliveries", defaults.DisableAfterFailedDeliveries),
            RotationOverlap = Span(section["RotationOverlap"], defaults.RotationOverlap),
            PollInterval = Span(section["PollInterval"], defaults.PollInterval),
            Concurrency = section.GetValue("Concurrency", defaults.Concurrency),
            AdminEmail = section["AdminEmail"],
        };
    }

    private static TimeSpan Span(string? text, TimeSpan fallback) =>
        TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
