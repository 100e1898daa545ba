namespace Users.Api.Http;

/// <summary>A kept response written again as it was first answered, marked <c>Idempotent-Replayed: true</c>.</summary>
internal sealed class IdempotentReplay(IdempotentRequest stored) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = stored.Status;
        if (stored.ContentType is not null)
            http.Response.ContentType = stored.ContentType;
        if (stored.ETag is not null)
            http.Response.Headers.ETag = stored.ETag;
        if (stored.Location is not null)
            http.Response.Headers.Location = stored.Location;
        http.Response.Headers[IdempotencyFilter.ReplayedHeader] = "true";
        await http.Response.Body.WriteAsync(stored.Body, http.RequestAborted);
    }
}
