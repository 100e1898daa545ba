using Marten;
using MassTransit;
using Users.Domain.Decisions;
using Users.Notifications.Consumers;
using Users.Notifications.Erasure;
using Users.Notifications.Mail;
using Users.Notifications.Operability;
using Users.Notifications.Ordering;
using Users.Notifications.Sms;
using Users.Notifications.Verification;
using Users.Notifications.Webhooks;
using Users.Projections;
using Users.Projections.Encryption;
using Users.ServiceDefaults;

namespace Users.Notifications;

/// <summary>Builds the notifications worker; tests build it the same way with their own configuration.</summary>
public static class WorkerHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var config = builder.Configuration;

        var (postgres, rabbitMqUris, schema) = HostConnections.From(config, MartenRegistration.DefaultSchema);
        var rabbitMq = RabbitMqNodes.From(rabbitMqUris, config["RabbitMq:QueueType"]);

        builder.Services.AddMarten(opts =>
            {
                // The worker reads events (the ones a delivery overtook): it opens their personal values with the same master key.
                opts.ConfigureUsersStore(postgres, schema, MasterKey.From(config[MasterKey.Setting], builder.Environment.EnvironmentName));
                // The worker's own documents: its version gate, and the mails it owes.
                opts.Schema.For<ConsumerProgress>().UseOptimisticConcurrency(true);
                opts.Schema.For<GateBaseline>();
                opts.Schema.For<MailAttempt>();
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();

        builder.Services.Configure<SmtpOptions>(config.GetSection("Smtp"));
        builder.Services.Configure<VerificationOptions>(o =>
        {
            o.PublicBaseUrl = config["Users:PublicBaseUrl"] ?? o.PublicBaseUrl;
            if (TimeSpan.TryParse(config["Verification:TokenLifetime"], out var lifetime))
                o.TokenLifetime = lifetime;
            if (TimeSpan.TryParse(config["Verification:RevertTokenLifetime"], out var revertLifetime))
                o.RevertTokenLifetime = revertLifetime;
            if (TimeSpan.TryParse(config["Verification:PhoneCodeLifetime"], out var codeLifetime))
                o.PhoneCodeLifetime = codeLifetime;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        // The API refuses requests past the cap; additions of addresses it cannot refuse are held to it here.
        builder.Services.AddSingleton(VerificationSendCap.Configured(config.GetValue<int?>("Users:VerificationCodesPerHour"),
            builder.Environment.IsEnvironment("Testing")));
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddScoped<VerificationMail>();
        builder.Services.AddScoped<EmailChangeNotice>();
        builder.Services.AddScoped<PhoneVerificationText>();
        builder.AddSmsSender();
        builder.Services.AddSingleton<DeadLetterQueues>();
        builder.Services.AddScoped<RecoveryNotice>();
        builder.Services.AddSingleton<VersionGate>();
        // Before the bus starts: the gate's baseline must exist when the first event is consumed.
        builder.Services.AddHostedService<GateBaselineWriter>();
        // Every log line of a consumer carries the event's correlation id (see CorrelationLogScope).
        builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);

        builder.AddNotificationsOperability(postgres);
        builder.Services.AddMassTransit(x =>
        {
            x.AddBusReadiness();
            x.AddConsumeObserver<ConsumerLagObserver>();
            x.AddUserEventConsumers();
            x.AddWebhookNoticeConsumers();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbitMq.First, host =>
                {
                    // Several nodes: MassTransit connects to one that answers and, when it goes, to another.
                    if (rabbitMq.Nodes.Count > 1)
                        host.UseCluster(cluster =>
                        {
                            foreach (var (nodeHost, port) in rabbitMq.Endpoints)
                                cluster.Node($"{nodeHost}:{port}");
                        });
                });
                cfg.UseConsumeFilter(typeof(CorrelationLogScope<>), context);
                cfg.ReceiveEndpoint(UserEventsEndpoint.Queue, endpoint => endpoint.ConfigureUserEvents(context, rabbitMq.QuorumQueues));
                cfg.ConfigureWebhookNotices(context, rabbitMq.QuorumQueues);
            });
        });

        // Start-up returns only once the queues are declared and bound: an event published to an exchange
        // with no bound queue would be dropped by RabbitMQ.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        var app = builder.Build();
        app.MapNotificationsHealth();
        app.MapDevSms();
        return app;
    }
}
