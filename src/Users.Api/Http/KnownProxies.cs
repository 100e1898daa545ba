using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Users.Api.Http;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the reverse proxies configured under
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR). None by
/// default, not even loopback: a client talking to the API directly must not choose the address its rate limit
/// is counted by. (Do not set ASPNETCORE_FORWARDEDHEADERS_ENABLED: it trusts any sender.)
/// </summary>
public static class KnownProxies
{
    public static void AddKnownProxies(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback by default, and trusts every sender when both lists are empty: hence the
            // middleware runs only when something is configured (UseKnownProxies).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            foreach (var network in networks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR network (e.g. 10.0.0.0/8)."));
        });
        builder.Services.AddSingleton(new ProxyTrust(proxies.Length + networks.Length > 0));
    }

    /// <summary>First in the pipeline, so that everything after sees the client's address and scheme.</summary>
    public static void UseKnownProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ProxyTrust>().Any)
            app.UseForwardedHeaders();
    }

    private sealed record ProxyTrust(bool Any);
}
