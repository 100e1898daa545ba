using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Users.Domain;
using Users.Domain.Events;
using Users.Domain.Events.Versions;
using Users.Projections.Encryption;
using Weasel.Core;

namespace Users.Projections;

/// <summary>
/// The store configuration shared by the API and the notifications worker, so both append to the same
/// streams with the same event types, metadata and inline projections.
/// </summary>
public static class MartenRegistration
{
    public const string DefaultSchema = "users";

    /// <summary>
    /// Returns the users' data keys: every reader of this store opens sealed personal values with them; a host that
    /// appends also registers <see cref="PersonalDataSealing"/> with them (after its outbox listener). Without
    /// <paramref name="masterKey"/> (tests, benchmarks) the published development key is used.
    /// </summary>
    public static DataKeys ConfigureUsersStore(this StoreOptions opts, string connectionString, string schema, byte[]? masterKey = null)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = schema;
        var keys = new DataKeys(masterKey ?? Convert.FromBase64String(MasterKey.Development), connectionString, schema);
        // Personal values are stored sealed and opened as they are read (docs/auditing.md, "Encryption of personal data").
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.SnakeCase, o => o.Converters.Add(new OpeningConverters(keys)));
        opts.Schema.For<UserDataKey>();
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;

        // Quick append (Marten 9's default): one round trip per append, no sequence reserved before the transaction
        // is visible. Versions are still known before commit (FetchForWriting's expected version, or a new stream),
        // and despite its name this mode stores the timestamp taken in-process, so the inline projections and the
        // integration events written to the outbox in the same transaction see the stored values (plain Quick
        // stores the server's now(), which the read model would not match on rebuild).
        opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        opts.Events.MetadataConfig.EnableAll();
        // EnableAll leaves the user-name column out in Marten 9.58: without this the actor is silently dropped.
        opts.Events.MetadataConfig.UserNameEnabled = true;

        // The one list of event types (Users.Domain/Events/UserEventTypes.cs).
        foreach (var eventType in UserEventTypes.All)
            opts.Events.AddEventType(eventType);

        // Event versioning: older shapes are read as the current event (docs/event-versioning.md).
        opts.Events.Upcast<UserProfileUpdatedV1, UserProfileUpdated>(UserProfileUpdatedV1.EventTypeName, old => old.Upcast());

        // GDPR erasure of a stream written before encryption rewrites its plaintext events through these
        // (store.Advanced.ApplyEventDataMasking). Every event type with a text member needs a case in
        // PersonalData.Transform, which sealing uses too: Auditing/PersonalDataMaskingTests fails otherwise.
        opts.Events.AddMaskingRuleForProtectedInformation<UserRegistered>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<UserProfileUpdated>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<EmailChanged>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<EmailVerificationRequested>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<EmailVerified>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<EmailVerificationResendRequested>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<PasswordChanged>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<EmailChangeReverted>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<SecondaryEmailAdded>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<SecondaryEmailRemoved>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<PhoneNumberAdded>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<PhoneNumberRemoved>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<SecondaryEmailVerified>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<SecondaryEmailVerificationResendRequested>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<PhoneNumberVerificationRequested>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<PhoneNumberVerified>(PersonalData.Mask);
        opts.Events.AddMaskingRuleForProtectedInformation<UserDeactivated>(PersonalData.Mask);

        opts.Projections.Add<UserProfileProjection>(ProjectionLifecycle.Inline);
        // Not unique: any number of accounts may hold an unverified address; the verified one is claimed below.
        opts.Schema.For<UserProfile>().Index(x => x.EmailKey);
        // Verified addresses and usernames are claimed by documents keyed by the value itself (one holder each).
        opts.Projections.Add(new UniquenessProjection(), ProjectionLifecycle.Inline);
        // The aliases keep the tables of before the rename from "claims" (mt_doc_emailclaim, mt_doc_usernameclaim).
        opts.Schema.For<EmailOwnership>().DocumentAlias("emailclaim");
        opts.Schema.For<UsernameOwnership>().DocumentAlias("usernameclaim");
        opts.Projections.Add<FollowCountsProjection>(ProjectionLifecycle.Inline);

        opts.Schema.For<EmailVerificationToken>().Index(x => x.UserId);
        opts.Schema.For<PhoneVerificationCode>().Index(x => x.UserId);
        opts.Schema.For<VerificationSendLog>();
        opts.Schema.For<EmailRevertToken>().Index(x => x.UserId);
        opts.Schema.For<ProcessedMessage>();

        // The write side's state is kept as an inline snapshot, updated in the append's transaction, so
        // FetchForWriting reads one document instead of replaying the stream: an update costs the same on a
        // stream of 10 or 10,000 events (docs/performance.md). Time travel still replays the stream.
        opts.Projections.Snapshot<User>(SnapshotLifecycle.Inline);
        return keys;
    }
}
