namespace Users.Api.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds; asynchronous effects (relay, consumers) settle in their own time.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T last;
        do
        {
            last = await probe();
            if (done(last))
                return last;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {last}");
    }
}
