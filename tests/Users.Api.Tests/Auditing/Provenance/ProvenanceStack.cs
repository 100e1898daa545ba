using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing.Provenance;

/// <summary>
/// A stack behind one known reverse proxy (<see cref="Proxy"/>). The test server has no TCP peer, so each request
/// names the address it comes from in <see cref="PeerHeader"/> (127.0.0.1 when it does not): the connection's
/// address is set from it before anything else in the pipeline, forwarded headers included, as a socket would.
/// </summary>
public sealed class ProvenanceStack : UsersStack
{
    public const string Proxy = "10.0.0.5";
    public const string PeerHeader = "X-Test-Peer";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
    };

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureServices(services => services.AddSingleton<IStartupFilter, PeerAddress>());

    private sealed class PeerAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext http, RequestDelegate rest) =>
            {
                var named = http.Request.Headers[PeerHeader].ToString();
                http.Connection.RemoteIpAddress = named.Length > 0 ? IPAddress.Parse(named) : IPAddress.Loopback;
                return rest(http);
            });
            next(app);
        };
    }
}

[CollectionDefinition(Name)]
public sealed class ProvenanceStackCollection : ICollectionFixture<ProvenanceStack>
{
    public const string Name = "provenance stack";
}
