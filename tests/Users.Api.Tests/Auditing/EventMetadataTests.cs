using System.Net;
using JasperFx.Events;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Auditing;

[Collection(StackCollection.Name)]
public sealed partial class EventMetadataTests(UsersStack stack)
{
    [Fact]
    public async Task every_write_path_stamps_actor_correlation_causation_origin_and_time_on_its_events()
    {
        var email = HttpJson.UniqueEmail("meta");
        var id = await stack.RegisterAsync(new { email, first_name = "Grace" }, "meta-register");
        var mail = await stack.Mail.WaitForMailToAsync(email);
        await stack.WaitForVersionAsync(id, 2);

        (await stack.SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", new { last_name = "Hopper", password = "a long enough secret" }, "meta-patch"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = MailTokens.Verification(mail);
        (await stack.SendAsync(HttpMethod.Post, $"/api/v1/users/{id}/email/verify", new { token }, "meta-verify"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}", correlationId: "meta-erase"))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var events = await stack.StreamAsync(id);
        events.Select(e => e.EventType).ShouldBe([typeof(UserRegistered), typeof(EmailVerificationRequested),
            typeof(UserProfileUpdated), typeof(PasswordChanged), typeof(EmailVerified), typeof(UserErased)]);

        // API writes: the caller, the request's correlation id, the endpoint family as origin.
        ShouldBeStamped(events[0], "meta-register", "api/v1");
        ShouldBeStamped(events[2], "meta-patch", "api/v1");
        ShouldBeStamped(events[3], "meta-patch", "api/v1");
        ShouldBeStamped(events[4], "meta-verify", "api/v1");
        ShouldBeStamped(events[5], "meta-erase", "api/v1");
        events[0].UserName.ShouldNotBe("system");

        // The worker's write: the system, the registration's correlation id, caused by the registration event.
        events[1].UserName.ShouldBe("system");
        events[1].CorrelationId.ShouldBe("meta-register");
        events[1].CausationId.ShouldBe(events[0].Id.ToString());
        events[1].Headers!["origin"].ToString().ShouldBe("notifications");

        events.Select(e => e.Timestamp).ShouldBeInOrder();
        events.ShouldAllBe(e => e.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5));

        // The actor is a real column, not only in memory.
        var actors = await stack.RawRowsAsync("select user_name from {schema}.mt_events where stream_id = @id order by version", ("id", id));
        actors.ShouldAllBe(a => a.Length > 0);
        actors[1].ShouldBe("system");
    }

    private static void ShouldBeStamped(IEvent e, string correlationId, string origin)
    {
        e.UserName.ShouldNotBeNullOrEmpty();
        e.CorrelationId.ShouldBe(correlationId);
        e.CausationId.ShouldBe(correlationId);
        e.Headers.ShouldNotBeNull();
        e.Headers!["origin"].ToString().ShouldBe(origin);
    }
}
