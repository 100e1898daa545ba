using System.Diagnostics;
using System.Text.RegularExpressions;
using Users.Api.Tests.Infrastructure;
using Users.Api.Webhooks;

namespace Users.Api.Tests.Webhooks;

/// <summary>The Python helper docs/events.md shows, run as shown, on a real delivery and on a forged and a replayed one.</summary>
[Collection(WebhookCollection.Name)]
public sealed partial class PythonVerificationTests(WebhookStack stack)
{
    [Fact]
    public async Task the_documented_python_helper_accepts_a_delivery_and_rejects_forged_and_replayed_ones()
    {
        using var receiver = new WebhookReceiver();
        var (_, secret) = await stack.RegisterEndpointAsync(receiver.Url, "UserRegistered");
        var id = await stack.RegisterSettledAsync("python");
        var genuine = (await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= 1, what: "a delivery"))[0];

        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        var replayedSignature = new StandardWebhooks.StandardWebhook(secret).Sign(genuine.Header("webhook-id"), old, genuine.Body);
        var forgedSignature = new StandardWebhooks.StandardWebhook(WebhookEndpoint.NewSecret())
            .Sign(genuine.Header("webhook-id"), DateTimeOffset.UtcNow, genuine.Body);

        (await RunAsync(secret, genuine.Body, genuine.Header("webhook-id"), genuine.Header("webhook-timestamp"), genuine.Header("webhook-signature")))
            .ShouldBe("True");
        (await RunAsync(secret, genuine.Body.Replace("@", "@evil."), genuine.Header("webhook-id"), genuine.Header("webhook-timestamp"),
            genuine.Header("webhook-signature"))).ShouldBe("False");
        (await RunAsync(secret, genuine.Body, genuine.Header("webhook-id"), genuine.Header("webhook-timestamp"), forgedSignature))
            .ShouldBe("False");
        (await RunAsync(secret, genuine.Body, genuine.Header("webhook-id"), old.ToUnixTimeSeconds().ToString(), replayedSignature))
            .ShouldBe("False");
    }

    private static async Task<string> RunAsync(string secret, string body, string messageId, string timestamp, string signature)
    {
        var script = DocumentedHelper() + """

            import sys
            headers = {"webhook-id": sys.argv[2], "webhook-timestamp": sys.argv[3], "webhook-signature": sys.argv[4]}
            print(is_genuine(sys.argv[1], sys.stdin.buffer.read(), headers))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", script, secret, messageId, timestamp, signature })
            start.ArgumentList.Add(arg);
        using var python = Process.Start(start)!;
        await python.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body));
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        python.ExitCode.ShouldBe(0, await python.StandardError.ReadToEndAsync());
        return output.Trim();
    }

    /// <summary>The first python block of the "Verifying a delivery" section, as the reader copies it.</summary>
    private static string DocumentedHelper()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "events.md"));
        var section = docs[docs.IndexOf("### Verifying a delivery", StringComparison.Ordinal)..];
        return PythonBlock().Match(section).Groups[1].Value;
    }

    [GeneratedRegex("```python\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above " + AppContext.BaseDirectory);
    }
}
