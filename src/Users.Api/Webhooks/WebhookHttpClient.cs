using System.Net;
using System.Net.Sockets;

namespace Users.Api.Webhooks;

/// <summary>
/// The one HTTP client deliveries leave through: it connects only to addresses <see cref="OutboundAddressPolicy"/>
/// allows, checked on the addresses the name resolved to at connect time (not at registration), follows no
/// redirect and uses no proxy (a proxy would connect on our behalf, past the check).
/// </summary>
public static class WebhookHttpClient
{
    public static HttpClient Create(OutboundAddressPolicy policy, WebhookSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = settings.Timeout,
            // New connections resolve the name again, so a changed DNS answer is checked again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
        };
        return new HttpClient(handler) { Timeout = settings.Timeout };
    }

    private static async ValueTask<Stream> ConnectAsync(OutboundAddressPolicy policy, DnsEndPoint target, CancellationToken ct)
    {
        var host = target.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        // Every address must pass: a name that answers with one public and one internal address is refused whole.
        if (addresses.Length == 0 || addresses.Any(a => !policy.MayConnect(host, a)))
            throw new WebhookTargetRefused(
                $"{host} resolves to an address deliveries may not reach ({string.Join(", ", addresses.Select(a => a.ToString()))}).");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, target.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
