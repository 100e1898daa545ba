using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Delivery;

/// <summary>
/// The whole stack, with the API reaching RabbitMQ through a <see cref="TcpFaultProxy"/>: "broker down" is a
/// network cut between the API and the shared broker, which keeps running for everyone else. The worker and
/// the test's subscribers connect directly.
/// </summary>
public sealed class BrokerCutStack : UsersStack
{
    private TcpFaultProxy? _proxy;

    public TcpFaultProxy Proxy => _proxy ??= TcpFaultProxy.InFrontOf(RabbitMqUri);

    protected override string ApiRabbitMqUri => Proxy.Rewrite(RabbitMqUri);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_proxy is not null)
            await _proxy.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerCutCollection : ICollectionFixture<BrokerCutStack>
{
    public const string Name = "broker-cut";
}
