using Marten;
using Microsoft.Extensions.Options;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Notifications.Sms;
using Users.Projections;
using Users.ServiceDefaults;

namespace Users.Notifications.Verification;

/// <summary>
/// Texts a phone number a one-time code when the user asked for one (PhoneNumberVerificationRequested). The code
/// is stored hashed, bound to the number's id, replacing the number's previous code (which is void from then on).
/// Once per causing event, crash or not, like <see cref="VerificationMail"/>; nothing to record on the stream.
/// </summary>
public sealed class PhoneVerificationText(ISmsSender sms, IOptions<VerificationOptions> options, TimeProvider clock,
    ILogger<PhoneVerificationText> logger)
{
    public const string Kind = "phone-code";

    public async Task SendAsync(IDocumentSession session, Guid userId, Guid phoneNumberId, string phoneNumber, Guid causationEventId,
        string? correlationId, CancellationToken ct)
    {
        var attempt = await session.LoadAsync<MailAttempt>(MailAttempt.IdFor(Kind, causationEventId), ct);
        if (attempt?.State == MailAttemptState.Done)
            return;
        if (attempt is not null)
        {
            // An attempt died after committing this, perhaps after the text went: never text twice.
            logger.LogWarning("Phone code for event {EventId} was interrupted after it began sending; not sent again", causationEventId);
            attempt.State = MailAttemptState.Done;
            session.Store(attempt);
            return;
        }

        // Read, not locked: a number removed after this check voids the code at the API (the decider compares).
        var user = await session.Events.FetchLatest<User>(userId, ct);
        if (user is null || user.IsErased || !user.PhoneNumbers.Any(p => p.Id == phoneNumberId && p.PhoneNumber == phoneNumber && !p.Verified))
        {
            logger.LogInformation("Phone code for event {EventId} skipped: the number is no longer the user's to verify", causationEventId);
            return;
        }

        var now = clock.GetUtcNow();
        var code = SecretTokens.NewCode(PhoneVerification.CodeDigits);
        var stored = new PhoneVerificationCode
        {
            Id = phoneNumberId,
            UserId = userId,
            PhoneNumber = phoneNumber,
            CodeHash = SecretTokens.HashCode(phoneNumberId, code),
            ExpiresAt = now + options.Value.PhoneCodeLifetime,
            CausationEventId = causationEventId,
        };
        attempt = new MailAttempt { Id = MailAttempt.IdFor(Kind, causationEventId), State = MailAttemptState.Mailing, UserId = userId, StartedAt = now };
        session.Insert(attempt);
        session.Store(stored);
        await session.SaveChangesAsync(ct);

        try
        {
            await sms.SendAsync(phoneNumber,
                $"Your verification code: {code}. It expires in {options.Value.PhoneCodeLifetime.TotalMinutes:0} minutes. Never share it.",
                correlationId ?? causationEventId.ToString(), ct);
        }
        catch (SmsNotSentException)
        {
            // Certainly not sent: forget the attempt and the code, so the retry texts a new one.
            session.DeleteObjects([attempt, stored]);
            await session.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        attempt.State = MailAttemptState.Done;
        session.Store(attempt);
    }
}
