using System.Net;
using System.Net.Sockets;

namespace Users.Api.Webhooks;

/// <summary>
/// Where a webhook may be sent (the guard against server-side request forgery): at registration on the URL,
/// and again at connect time on every address its host resolved to, so that a name re-pointed at an internal
/// address after registration (DNS rebinding) is refused too.
/// </summary>
public sealed class OutboundAddressPolicy(WebhookSettings settings)
{
    /// <summary>
    /// Why the URL may not be registered, or null when it may. A name is not resolved here (its answer may change):
    /// the connect-time check judges what it resolves to.
    /// </summary>
    public string? RefuseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            return "'url' is an absolute https URL.";
        if (url.Scheme == "http" && !settings.AllowHttp)
            return "'url' must use https.";
        if (!string.IsNullOrEmpty(url.UserInfo))
            return "'url' may not carry a user name or password.";
        if (!string.IsNullOrEmpty(url.Fragment))
            return "'url' may not carry a fragment.";
        var host = url.IdnHost.Trim('[', ']');
        if (!HostListed(host) && settings.AllowedHosts.Count > 0)
            return $"'url' must name one of the allowed hosts ({string.Join(", ", settings.AllowedHosts.Order())}).";
        if (IPAddress.TryParse(host, out var address) && !MayConnect(host, address))
            return "'url' points at a private, loopback, link-local or otherwise non-public address.";
        return null;
    }

    /// <summary>Whether a connection to <paramref name="address"/> (resolved from <paramref name="host"/>) may be opened.</summary>
    public bool MayConnect(string host, IPAddress address)
    {
        if (settings.AllowedHosts.Count > 0 && !HostListed(host))
            return false;
        // Listing a host, or allowing private networks outright, is the explicit permission to reach a non-public one.
        return IsPublic(address) || settings.AllowPrivateNetworks || HostListed(host);
    }

    private bool HostListed(string host) => settings.AllowedHosts.Contains(host.TrimEnd('.'));

    /// <summary>False for every range that is not the public internet (IANA special-purpose registries).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                   // "this network"
                || b[0] == 10                                    // private
                || b[0] == 127                                   // loopback
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)    // CGNAT 100.64/10
                || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)     // private
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // IETF protocol assignments
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)       // documentation
                || (b[0] == 192 && b[1] == 168)                  // private
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))   // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)    // documentation
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)     // documentation
                || b[0] >= 224);                                 // multicast, reserved, broadcast
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        var v6 = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
            return false;
        // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address: judge that one.
        if (v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            return IsPublic(new IPAddress(v6.AsSpan(12, 4)));
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return IsPublic(new IPAddress(v6.AsSpan(12, 4)));
        if (v6[0] == 0x20 && v6[1] == 0x02)
            return IsPublic(new IPAddress(v6.AsSpan(2, 4)));
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (v6[0] & 0xfe) == 0xfc                              // unique local fc00::/7
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8)  // documentation 2001:db8::/32
            || (v6[0] == 0x01 && v6.AsSpan(1, 7).IndexOfAnyExcept((byte)0) < 0)); // discard-only 100::/64
    }
}
