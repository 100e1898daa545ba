using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;

namespace Users.Api.Http;

/// <summary>
/// Stripe's rules for <c>Idempotency-Key</c>: the same key and body within 24 h get the first response
/// again (status, headers, body) and nothing is appended twice; the same key with another body is a 422.
/// Concurrent requests with one key: the first to insert the record runs, the others wait for its response.
/// Failures of the service itself (5xx) are not kept, so the client may retry them.
/// </summary>
public sealed class IdempotencyFilter(IDocumentStore store, TimeProvider clock) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    /// <summary>How long an unfinished request holds its key before a retry may take it over (the first one died).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(10);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
            return await next(context);
        if (key.Length > 255 || !key.All(c => c is >= ' ' and <= '~'))
            return ApiProblem.BadRequest($"{Header} must be 1 to 255 printable ASCII characters.");
        if (await RequestHashAsync(http.Request) is not { } hash)
            return await next(context); // over the size limit: the endpoint answers 413, nothing to keep

        var id = $"{RequestContext.From(http, "").Actor}|{key}";
        if (await ClaimOrAnswerAsync(id, hash, http.RequestAborted) is { } answer)
            return answer;
        return await RunAndKeepAsync(id, hash, context, next);
    }

    /// <summary>
    /// Null once this request holds the key; otherwise the answer the first request with it decides: its kept
    /// response, a 422 when the body differs, a 409 when it still runs after <see cref="WaitForFirst"/>
    /// (polled: the record lives in PostgreSQL, where another instance may hold it).
    /// </summary>
    private async Task<IResult?> ClaimOrAnswerAsync(string id, string hash, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + WaitForFirst;
        while (true)
        {
            var (claimed, existing) = await TryClaimAsync(id, hash, ct);
            if (claimed)
                return null;
            if (existing!.RequestHash != hash)
                return ApiProblem.Of(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
                    $"This {Header} was used with another request in the last 24 hours; use a new key for a new request.",
                    [new FieldError("", $"{Header} reused with a different request.")]);
            if (existing.Completed)
                return new IdempotentReplay(existing);
            if (clock.GetUtcNow() > deadline)
                return ApiProblem.Of(StatusCodes.Status409Conflict, "Request in progress",
                    $"A request with this {Header} is still being processed; retry later.");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>Inserts the in-flight record; on a race the primary key lets exactly one request win.</summary>
    private async Task<(bool Claimed, IdempotentRequest? Existing)> TryClaimAsync(string id, string hash, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = clock.GetUtcNow();
        var existing = await session.LoadAsync<IdempotentRequest>(id, ct);
        var live = existing is not null && existing.StartedAt + Retention > now
                   && (existing.Completed || existing.StartedAt + Lease > now);
        if (live)
            return (false, existing);

        var record = new IdempotentRequest { Id = id, RequestHash = hash, StartedAt = now };
        if (existing is null)
            session.Insert(record);
        else
            session.Store(record); // expired, or abandoned by a request that died mid-way
        try
        {
            await session.SaveChangesAsync(ct);
            return (true, null);
        }
        catch (Exception e) when (IsAlreadyThere(e))
        {
            await using var query = store.QuerySession();
            return (false, await query.LoadAsync<IdempotentRequest>(id, ct));
        }
    }

    private async Task<object?> RunAndKeepAsync(string id, string hash, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        try
        {
            var result = await next(context);
            http.Response.Body = buffer;
            if (result is IResult r)
                await r.ExecuteAsync(http);
        }
        catch
        {
            await ForgetAsync(id);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }

        var response = http.Response;
        if (response.StatusCode >= 500)
            await ForgetAsync(id);
        else
        {
            await using var session = store.LightweightSession();
            session.Store(new IdempotentRequest
            {
                Id = id,
                RequestHash = hash,
                StartedAt = clock.GetUtcNow(),
                Completed = true,
                Status = response.StatusCode,
                ContentType = response.ContentType,
                ETag = response.Headers.ETag.ToString().NullIfEmpty(),
                Location = response.Headers.Location.ToString().NullIfEmpty(),
                Body = buffer.ToArray(),
                UserId = SubjectOf(http),
            });
            await session.SaveChangesAsync(CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
        return Results.Empty;
    }

    private async Task ForgetAsync(string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotentRequest>(id);
        await session.SaveChangesAsync(CancellationToken.None);
    }

    private static Guid? SubjectOf(HttpContext http) =>
        Guid.TryParse(http.Request.RouteValues["id"]?.ToString(), out var id) ? id
        : Guid.TryParse(http.Response.Headers.Location.ToString().Split('/')[^1], out var created) ? created
        : null;

    /// <summary>Hash of method, path and body; null when the body is over the limit.</summary>
    private static async Task<string?> RequestHashAsync(HttpRequest request)
    {
        if (await RequestBody.ReadAsync(request, request.HttpContext.RequestAborted) is not { } body)
            return null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static bool IsAlreadyThere(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DocumentAlreadyExistsException || UniqueViolation.Find(e) is not null)
                return true;
        return false;
    }
}
