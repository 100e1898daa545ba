using Npgsql;

namespace Users.Api.Http;

/// <summary>Recognises a lost uniqueness race: PostgreSQL's unique-violation, however Marten wrapped it.</summary>
public static class UniqueViolation
{
    public static bool IsEmail(Exception e) => Find(e) is { } pg && (pg.ConstraintName ?? pg.MessageText).Contains("email_key", StringComparison.OrdinalIgnoreCase);

    public static PostgresException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
                return pg;
        return null;
    }
}
