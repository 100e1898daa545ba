using System.Text.Json.Nodes;
using JasperFx;
using Npgsql;
using Users.Projections;

namespace Users.Api.Http;

/// <summary>Recognises a lost uniqueness race, however Marten wrapped it, and names the field it concerns.</summary>
public static class UniqueViolation
{
    public const string EmailTaken = "Email has already been taken";
    public const string UsernameTaken = "Username has already been taken";

    public static bool IsEmail(Exception e) => Kind(e) == "email";

    /// <summary>The field errors a lost race stands for, or null when the exception is something else.</summary>
    public static IReadOnlyList<FieldError>? ErrorsFor(Exception e, JsonObject body) => Kind(e) switch
    {
        "username" => [new FieldError("/username", UsernameTaken)],
        "email" => body.ContainsKey("email") || !body.ContainsKey("emails")
            ? [new FieldError("/email", EmailTaken)]
            : [new FieldError("/emails", EmailTaken)],
        _ => null,
    };

    private static string? Kind(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DocumentAlreadyExistsException exists)
                return exists.DocumentType == typeof(UsernameOwnership) ? "username"
                    : exists.DocumentType == typeof(EmailOwnership) ? "email" : null;
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
            {
                var what = pg.ConstraintName ?? pg.TableName ?? pg.MessageText;
                return what.Contains("usernameclaim", StringComparison.OrdinalIgnoreCase) ? "username"
                    : what.Contains("email", StringComparison.OrdinalIgnoreCase) ? "email" : null;
            }
        }
        return null;
    }

    public static PostgresException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
                return pg;
        return null;
    }
}
