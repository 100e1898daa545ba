using System.Text.Json;
using FluentValidation;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Identity;
using Users.Api.Auditing;
using Users.Api.Auth;
using Users.Api.Dialects;
using Users.Api.Dialects.Seed000;
using Users.Api.Dialects.Seed002;
using Users.Api.Dialects.Seed003;
using Users.Api.Dialects.Seed004;
using Users.Api.Feed.ReadingFeed;
using Users.Api.Http;
using Users.Api.Messaging;
using Users.Api.Operability;
using Users.Api.Users.ErasingUser;
using Users.Api.Users.Following;
using Users.Api.Users.GettingProfile;
using Users.Api.Users.ManagingApiKeys;
using Users.Api.Users.ProvingHistory;
using Users.Api.Users.ReadingHistory;
using Users.Api.Users.Registering;
using Users.Api.Users.ResendingVerification;
using Users.Api.Users.RevertingEmail;
using Users.Api.Users.UpdatingProfile;
using Users.Api.Users.VerifyingContacts;
using Users.Api.Users.VerifyingEmail;
using Users.Api.Webhooks;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Rules;
using Users.Projections;
using Users.Projections.Encryption;
using Users.ServiceDefaults;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

// Minting a development token needs only the configuration, not the host.
if (args is ["mint-token", ..])
    return DevTokens.RunCommand(args[1..]);

var builder = WebApplication.CreateBuilder(args);

var (postgres, rabbitMq, schema) = HostConnections.From(builder.Configuration, MartenRegistration.DefaultSchema);
var cloudEvents = CloudEventAttributes.From(builder.Configuration);
builder.Services.AddSingleton(cloudEvents);

// The users' data keys (docs/auditing.md, "Encryption of personal data"): readers of the store open personal values
// with them, appends seal them. The master key is read when the store is built, so a host refuses to start without one.
DataKeys? dataKeys = null;
var webhookSignal = builder.AddWebhooks(postgres, schema);
builder.Services.AddMarten(opts =>
    {
        dataKeys = opts.ConfigureUsersStore(postgres, schema,
            MasterKey.From(builder.Configuration[MasterKey.Setting], builder.Environment.EnvironmentName));
        opts.Schema.For<IdempotentRequest>().Index(x => x.UserId);
        opts.Schema.For<ApiKey>().UniqueIndex(x => x.Hash).Index(x => x.UserId);
        // Every append writes its integration events into the outbox in its own transaction.
        opts.Listeners.Add(new IntegrationEventOutbox(cloudEvents));
        // … and, in the same transaction, the webhook deliveries owed to registered endpoints.
        opts.StoreWebhooks(schema, webhookSignal);
        // After the outbox and the webhooks, which read the plaintext events: only the stored bytes are sealed.
        opts.Listeners.Add(new PersonalDataSealing(dataKeys));
    })
    .UseLightweightSessions()
    .ApplyAllDatabaseChangesOnStartup()
    .IntegrateWithWolverine(x => x.MessageStorageSchemaName = schema);

builder.Host.UseWolverine(opts =>
{
    // Named explicitly: under a test host the entry assembly is the test runner, not this one.
    opts.ApplicationAssembly = typeof(Program).Assembly;
    opts.UseRuntimeCompilation();
    opts.Policies.AutoApplyTransactions();
    // Optimistic appends that lost a race are decided again on the fresh state (a stale If-Match then answers 412).
    opts.OnException<ConcurrencyException>().RetryWithCooldown(
        TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
    opts.RouteIntegrationEvents(RabbitMqNodes.From(rabbitMq, builder.Configuration["RabbitMq:QueueType"]));
    opts.ListenToWorkerCommands();
    opts.RouteWebhookNotices();
    opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
    // Several API nodes share one database: Wolverine elects a leader among them (an advisory lock), which runs
    // the durability agent (outbox and inbox recovery, scheduled messages) on exactly one node and ejects a node
    // whose health check is older than StaleNodeTimeout, releasing its outbox rows to the others (docs/scaling.md).
    // Balanced is Wolverine's default; set here so that nobody switches a multi-node deployment to Solo.
    opts.Durability.Mode = DurabilityMode.Balanced;
    // After a crash, a live node takes over the dead node's outbox once the dead one's health check is this
    // old (Wolverine's defaults: 1 minute, checked every 10 s). Shorter means faster delivery after a crash.
    // Outbox recovery (a dead node's envelopes, or those parked during a long broker outage) reads pages of
    // this size every few seconds; Wolverine's default of 100 drained 20 messages a second.
    opts.Durability.RecoveryBatchSize = 5_000;
    if (TimeSpan.TryParse(builder.Configuration["Wolverine:StaleNodeTimeout"], out var staleNode))
        opts.Durability.StaleNodeTimeout = staleNode;
    if (TimeSpan.TryParse(builder.Configuration["Wolverine:HealthCheckPollingTime"], out var healthCheck))
        opts.Durability.HealthCheckPollingTime = healthCheck;
});

builder.Services.AddSingleton(sp =>
{
    _ = sp.GetRequiredService<IDocumentStore>();
    return dataKeys!;
});
builder.Services.AddSingleton(TimeProvider.System);
// Under test the cap stays out of the way (tests change addresses in loops); a test of the cap configures it.
builder.Services.AddSingleton(builder.Configuration.GetValue<int?>("Users:EmailChangesPerHour") is { } perHour
    ? new EmailChangeCap(perHour)
    : builder.Environment.IsEnvironment("Testing") ? EmailChangeCap.None : new EmailChangeCap(5));
// The same for verification mails and texted codes (Users:VerificationCodesPerHour).
builder.Services.AddSingleton(VerificationSendCap.Configured(builder.Configuration.GetValue<int?>("Users:VerificationCodesPerHour"),
    builder.Environment.IsEnvironment("Testing")));
builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
// PBKDF2-HMAC-SHA512 (Identity's v3 format) at OWASP's count for it; the format records the count, so older
// hashes (100,000) still verify.
builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
builder.Services.AddSingleton(new ProfileValueSets(
    ConfiguredSet("Users:Locales", ProfileValueSets.Default.Locales),
    ConfiguredSet("Users:Notifications", ProfileValueSets.Default.Notifications),
    ConfiguredSet("Users:FeatureFlags", ProfileValueSets.Default.FeatureFlags)));
builder.Services.AddSingleton<IValidator<ProfileValues>>(sp =>
    new ProfileValuesValidator(sp.GetRequiredService<ProfileValueSets>(), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddHealthChecks();
// The audit hash chain (installed after Marten's schema) and its signed checkpoints (docs/auditing.md).
builder.Services.AddSingleton(AuditSettings.From(builder.Configuration, builder.Environment.EnvironmentName));
builder.Services.AddHostedService<ChainInstallation>();
builder.Services.AddHostedService<CheckpointWriter>();
builder.AddUsersAuth();
builder.AddKnownProxies();
builder.AddUsersRateLimits();
builder.AddUsersOperability(postgres, rabbitMq, schema);
builder.Services.AddProblemDetails();
// JSON names are snake_case (docs/api.md); typed response records (the seed dialects) follow it too.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();

app.UseKnownProxies();

// Right after the proxies are known, so that every error on a seed dialect's route, whoever writes it, leaves in that dialect's shape.
app.UseDialectErrors();
app.UseExceptionHandler(error => error.Run(async http =>
{
    // Last resort: a problem document instead of a stack trace (the exception's text only outside production).
    var exception = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
    http.RequestServices.GetRequiredService<ILogger<Program>>()
        .LogError(exception, "Unhandled error, correlation {CorrelationId}", RequestContext.CorrelationIdOf(http));
    var detail = app.Environment.IsProduction() || exception is null
        ? "The request failed; it has been logged with its correlation id."
        : exception.GetType().Name + ": " + exception.Message;
    await ApiProblem.Of(StatusCodes.Status500InternalServerError, "Unexpected error", detail).ExecuteAsync(http);
}));
app.Use(async (http, next) =>
{
    http.Response.Headers[RequestContext.CorrelationHeader] = RequestContext.CorrelationIdOf(http);
    await next();
});

// Static files are public: served before authentication, so the deny-by-default policy never sees them.
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseUsersAuth();

app.MapUsersOperability();
if (app.Environment.IsDevelopment() || app.Environment.IsEnvironment("Testing"))
    app.MapDevTokens();
app.MapRegisterUser(app.Configuration.GetValue("Users:OpenRegistration", true));
app.MapGetUser();
app.MapUpdateProfile();
app.MapVerifyEmail();
app.MapGetHistory();
app.MapGetHistoryProof();
app.MapEraseUser();
app.MapGetEvents();
app.MapFollowing();
app.MapSeed000();
app.MapSeed002();
app.MapSeed003();
app.MapSeed004();
app.MapApiKeys();
app.MapResendVerification();
app.MapRevertEmail();
app.MapContactVerification();
app.MapWebhooks();

return await app.RunJasperFxCommands(args);

// A configured list (Users:Locales:0 = "en", …) replaces the default one.
IReadOnlySet<string> ConfiguredSet(string key, IReadOnlySet<string> fallback) =>
    builder.Configuration.GetSection(key).Get<string[]>() is { Length: > 0 } values ? ProfileValueSets.Set(values) : fallback;

public partial class Program;
