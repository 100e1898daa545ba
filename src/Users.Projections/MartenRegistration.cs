using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Users.Domain;
using Users.Domain.Events;
using Weasel.Core;

namespace Users.Projections;

/// <summary>
/// The store configuration shared by the API and the notifications worker, so both append to the same
/// streams with the same event types, metadata and inline projections.
/// </summary>
public static class MartenRegistration
{
    public const string DefaultSchema = "users";

    public static void ConfigureUsersStore(this StoreOptions opts, string connectionString, string schema)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = schema;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.SnakeCase);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;

        // Rich mode: versions and timestamps are known before commit, so inline projections and
        // the handler's response see the real values.
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.EnableAll();
        // Not part of EnableAll in Marten 9: the actor (session.LastModifiedBy) is stored only with it.
        opts.Events.MetadataConfig.UserNameEnabled = true;

        opts.Events.AddEventType<UserRegistered>();
        opts.Events.AddEventType<UserProfileUpdated>();
        opts.Events.AddEventType<EmailChanged>();
        opts.Events.AddEventType<EmailVerificationRequested>();
        opts.Events.AddEventType<EmailVerified>();
        opts.Events.AddEventType<EmailVerificationResendRequested>();
        opts.Events.AddEventType<PasswordChanged>();
        opts.Events.AddEventType<EmailChangeReverted>();
        opts.Events.AddEventType<UserDeactivated>();
        opts.Events.AddEventType<UserReactivated>();
        opts.Events.AddEventType<UserErased>();
        opts.Events.AddEventType<UserFollowed>();
        opts.Events.AddEventType<UserUnfollowed>();

        opts.Projections.Add<UserProfileProjection>(ProjectionLifecycle.Inline);
        // Two users can never hold one address: the unique index fails the second commit, events and all.
        opts.Schema.For<UserProfile>().UniqueIndex(x => x.EmailKey);

        opts.Schema.For<EmailVerificationToken>().Index(x => x.UserId);
        opts.Schema.For<EmailRevertToken>().Index(x => x.UserId);
        opts.Schema.For<ProcessedMessage>();

        // Time travel and the write side both rebuild User from its stream.
        opts.Projections.LiveStreamAggregation<User>();
    }
}
