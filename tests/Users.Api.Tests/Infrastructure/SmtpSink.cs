using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Users.Api.Tests.Infrastructure;

/// <summary>A real SMTP server in the test process that keeps every mail it accepts.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    /// <summary>While true, every mail is refused with a transient error (the "SMTP down" fault).</summary>
    public volatile bool Refusing;

    /// <summary>Runs once a mail is stored, before the server answers the sender: a test can crash the sender there.</summary>
    public volatile Action<MimeMessage>? OnAccepted;

    private int _refused;

    /// <summary>How many mails were refused while <see cref="Refusing"/>.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public int Port { get; }

    /// <summary>The user names and passwords senders logged in with (a sink made with <c>offersLogin</c>).</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();

    /// <param name="offersLogin">Offer AUTH (over plain text, as a test server without TLS must) and accept any login.</param>
    public SmtpSink(bool offersLogin = false)
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AllowUnsecureAuthentication(offersLogin))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (offersLogin)
            services.Add(new SmtpServer.Authentication.DelegatingUserAuthenticator((user, password) => Logins.Enqueue((user, password))));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public IReadOnlyList<MimeMessage> Messages => _messages.ToList();

    public IReadOnlyList<MimeMessage> To(string address) =>
        _messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public async Task<MimeMessage> WaitForMailToAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var mails = To(address);
            if (mails.Count >= count)
                return mails[count - 1];
            await Task.Delay(50);
        }
        throw new TimeoutException($"No mail #{count} to {address} within the timeout; {Messages.Count} mails seen.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try { await _running; } catch (OperationCanceledException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink.Refusing)
            {
                Interlocked.Increment(ref sink._refused);
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "Service unavailable (test fault)");
            }
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink._messages.Enqueue(message);
            sink.OnAccepted?.Invoke(message);
            return SmtpResponse.Ok;
        }
    }
}
