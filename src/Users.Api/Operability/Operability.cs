using Users.Api.Messaging.AsyncApi;

namespace Users.Api.Operability;

/// <summary>Everything an operator or integrator reaches for, wired in two calls from Program.</summary>
public static class Operability
{
    public static WebApplicationBuilder AddUsersOperability(this WebApplicationBuilder builder, string postgres, string rabbitMq, string schema)
    {
        builder.AddUsersTelemetry();
        builder.Services.AddUsersHealthChecks(builder.Configuration, postgres, rabbitMq, schema);
        builder.Services.AddUsersOpenApi();
        return builder;
    }

    public static WebApplication MapUsersOperability(this WebApplication app)
    {
        // Registers the backlog gauge.
        app.Services.GetRequiredService<UsersMetrics>();
        app.MapUsersHealth();
        app.MapUsersOpenApi();
        app.MapAsyncApi();
        return app;
    }
}
