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
        // Appends NOTIFY the async daemon, which then publishes integration events at once instead of at its
        // next poll (250 ms to 1 s): commit → consumer latency (docs/performance.md).
        opts.Events.UseListenNotifyForEventAppends = true;

        opts.Events.AddEventType<UserRegistered>();
        opts.Events.AddEventType<UserProfileUpdated>();
        opts.Events.AddEventType<EmailChanged>();
        opts.Events.AddEventType<EmailVerificationRequested>();
        opts.Events.AddEventType<EmailVerified>();
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
        opts.Schema.For<ProcessedMessage>();

        // The write side's state is kept as an inline snapshot, updated in the append's transaction, so
        // FetchForWriting reads one document instead of replaying the stream: an update costs the same on a
        // stream of 10 or 10,000 events (docs/performance.md). Time travel still replays the stream.
        opts.Projections.Snapshot<User>(SnapshotLifecycle.Inline);
    }
}
