using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Users.Api.Tests.Infrastructure;
using Users.Notifications.Mail;

namespace Users.Api.Tests.Notifications;

/// <summary>The worker's SMTP transport against real servers in the test process: timeouts, TLS, login.</summary>
public sealed class MailTransportTests
{
    [Fact]
    public async Task a_server_that_accepts_and_never_answers_fails_the_send_within_the_timeout_as_not_sent()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var sender = Sender(port, ("Smtp:Timeout", "00:00:01"));
        // Only a backstop: the timeout must end the send long before.
        using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        await Should.ThrowAsync<MailNotSentException>(() => Send(sender, backstop.Token));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        backstop.IsCancellationRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task with_tls_required_a_server_that_offers_no_starttls_gets_no_mail()
    {
        await using var plain = new SmtpSink();
        var sender = Sender(plain.Port, ("Smtp:RequireTls", "true"));

        await Should.ThrowAsync<MailNotSentException>(() => Send(sender, CancellationToken.None));

        plain.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task without_tls_required_a_server_without_starttls_still_gets_the_mail()
    {
        await using var plain = new SmtpSink();

        await Send(Sender(plain.Port), CancellationToken.None);

        plain.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task configured_credentials_log_in_before_the_mail_is_sent()
    {
        await using var server = new SmtpSink(offersLogin: true);
        var sender = Sender(server.Port, ("Smtp:Username", "mailer"), ("Smtp:Password", "s3cret-of-the-relay"));

        await Send(sender, CancellationToken.None);

        server.Logins.ShouldBe([("mailer", "s3cret-of-the-relay")]);
        server.Messages.Count.ShouldBe(1);
    }

    // Bound from configuration the way the worker binds it (WorkerHost: Configure<SmtpOptions>(config.GetSection("Smtp"))).
    private static MailSender Sender(int port, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = port.ToString(),
            ["Smtp:From"] = "no-reply@users.test",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = configuration.GetSection("Smtp").Get<SmtpOptions>()!;
        return new MailSender(Options.Create(options), NullLogger<MailSender>.Instance);
    }

    private static Task Send(MailSender sender, CancellationToken ct) =>
        sender.SendAsync("someone@example.com", "Subject", "text", "<p>html</p>", "correlation-1", ct);
}
