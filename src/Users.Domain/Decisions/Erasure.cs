using Users.Domain.Events;

namespace Users.Domain.Decisions;

public static class Erasure
{
    /// <summary>
    /// GDPR art. 17: the user's personal data goes; the event names which fields held any.
    /// Erasing an erased user decides nothing.
    /// </summary>
    public static IReadOnlyList<object> Decide(User current)
    {
        if (current.IsErased)
            return [];
        var fields = new List<string> { "email" };
        if (current.PasswordHash is not null)
            fields.Add("password");
        if (current.Emails.Count > 0)
            fields.Add("emails");
        if (current.PhoneNumbers.Count > 0)
            fields.Add("phone_numbers");
        fields.AddRange(current.Profile.Keys.Order(StringComparer.Ordinal));
        return [new UserErased(fields)];
    }
}
