using FluentValidation;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Identity;
using Users.Api.Http;
using Users.Api.Messaging;
using Users.Api.Operability;
using Users.Api.Users.GettingProfile;
using Users.Api.Users.Registering;
using Users.Api.Users.UpdatingProfile;
using Users.Api.Users.VerifyingEmail;
using Users.Domain;
using Users.Domain.Rules;
using Users.Projections;
using Wolverine;
using Wolverine.Marten;

var builder = WebApplication.CreateBuilder(args);

var postgres = builder.Configuration.GetConnectionString("Postgres")
    ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
var rabbitMq = builder.Configuration.GetConnectionString("RabbitMq")
    ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is required (an amqp:// URI).");
var schema = builder.Configuration["Marten:Schema"] ?? MartenRegistration.DefaultSchema;

builder.Services.AddMarten(opts => opts.ConfigureUsersStore(postgres, schema))
    .UseLightweightSessions()
    .ApplyAllDatabaseChangesOnStartup()
    .IntegrateWithWolverine(x => x.MessageStorageSchemaName = schema)
    .AddAsyncDaemon(DaemonMode.HotCold)
    .SubscribeToEvents(new IntegrationEventRelay());

builder.Host.UseWolverine(opts =>
{
    // Named explicitly: under a test host the entry assembly is the test runner, not this one.
    opts.ApplicationAssembly = typeof(Program).Assembly;
    opts.UseRuntimeCompilation();
    opts.Policies.AutoApplyTransactions();
    opts.RouteIntegrationEvents(rabbitMq);
    opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
builder.Services.AddSingleton<IValidator<ProfileValues>, ProfileValuesValidator>();
builder.AddUsersOperability(postgres, rabbitMq, schema);
builder.Services.AddProblemDetails();

var app = builder.Build();

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

app.UseDefaultFiles();
app.UseStaticFiles();
app.MapUsersOperability();
app.MapRegisterUser();
app.MapGetUser();
app.MapUpdateProfile();
app.MapVerifyEmail();

return await app.RunJasperFxCommands(args);

public partial class Program;
