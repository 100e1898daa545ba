namespace Users.Api.Http;

/// <summary>
/// The request body read once, at most <see cref="JsonBody.MaxBytes"/>, and kept on the request: the
/// idempotency filter hashes the very bytes <see cref="JsonBody"/> then parses.
/// </summary>
public static class RequestBody
{
    private static readonly object ItemKey = new();

    /// <summary>The body's bytes; null when it is over the limit.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.Items.TryGetValue(ItemKey, out var kept))
            return (byte[]?)kept;
        var bytes = await ReadUpToLimitAsync(request, ct);
        request.HttpContext.Items[ItemKey] = bytes;
        return bytes;
    }

    private static async Task<byte[]?> ReadUpToLimitAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > JsonBody.MaxBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > JsonBody.MaxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
