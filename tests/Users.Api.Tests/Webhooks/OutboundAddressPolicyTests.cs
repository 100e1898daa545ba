using System.Net;
using Users.Api.Webhooks;

namespace Users.Api.Tests.Webhooks;

/// <summary>The address rules alone, no service: every non-public range, and the explicit permissions.</summary>
public sealed class OutboundAddressPolicyTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.8.8")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::")]
    public void non_public_addresses_are_not_public(string address) =>
        OutboundAddressPolicy.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void public_addresses_are_public(string address) =>
        OutboundAddressPolicy.IsPublic(IPAddress.Parse(address)).ShouldBeTrue();

    [Fact]
    public void a_listed_host_may_be_private_and_no_other_host_may_be_reached()
    {
        var policy = new OutboundAddressPolicy(new WebhookSettings { AllowedHosts = new HashSet<string> { "hooks.internal" } });
        policy.MayConnect("hooks.internal", IPAddress.Parse("10.0.0.5")).ShouldBeTrue();
        policy.MayConnect("other.example", IPAddress.Parse("8.8.8.8")).ShouldBeFalse();
        policy.RefuseUrl("https://other.example/x").ShouldNotBeNull();
        policy.RefuseUrl("https://hooks.internal/x").ShouldBeNull();
    }

    [Fact]
    public void https_is_required_unless_http_is_allowed_and_urls_carry_no_credentials()
    {
        var policy = new OutboundAddressPolicy(new WebhookSettings());
        policy.RefuseUrl("http://hooks.example.com/x").ShouldNotBeNull();
        policy.RefuseUrl("https://user:pw@hooks.example.com/x").ShouldNotBeNull();
        policy.RefuseUrl("https://hooks.example.com/x").ShouldBeNull();
        policy.MayConnect("hooks.example.com", IPAddress.Parse("127.0.0.1")).ShouldBeFalse();
        new OutboundAddressPolicy(new WebhookSettings { AllowPrivateNetworks = true })
            .MayConnect("hooks.example.com", IPAddress.Parse("127.0.0.1")).ShouldBeTrue();
    }
}
