using JasperFx;
using JasperFx.CommandLine;
using Marten;

namespace Users.Api.Auditing;

public enum AuditAction
{
    // Lower case: the command line's word.
#pragma warning disable IDE1006
    verify,
#pragma warning restore IDE1006
}

public sealed class AuditInput : NetCoreInput
{
    [Description("verify: recompute every event hash and check every checkpoint")]
    public AuditAction Action { get; set; }

    [Description("Only this user's stream (checkpoints are still all checked)")]
    public string? UserFlag { get; set; }

    [Description("The Ed25519 public key to trust (32 bytes, base64); default Audit:PublicKey, or the one of Audit:SigningKey")]
    public string? PublicKeyFlag { get; set; }
}

/// <summary>
/// <c>dotnet run --project src/Users.Api -- audit verify [--user ID] [--public-key KEY]</c>: recomputes everything from
/// the database and prints "verified …" or every break, one per line; the exit code is 1 on any break.
/// </summary>
[Description("Verifies the audit hash chain and signed checkpoints from the database", Name = "audit")]
public sealed class AuditCommand : JasperFxAsyncCommand<AuditInput>
{
    public override async Task<bool> Execute(AuditInput input)
    {
        Guid? user = null;
        if (input.UserFlag is { } text)
        {
            if (!Guid.TryParse(text, out var id))
            {
                Console.Error.WriteLine($"--user must be a user id (a GUID), not '{text}'.");
                return false;
            }
            user = id;
        }

        using var host = input.BuildHost();
        var settings = host.Services.GetRequiredService<AuditSettings>();
        var trusted = input.PublicKeyFlag is { } key ? CheckpointSigner.PublicKeyFromBase64(key, "--public-key") : settings.TrustedPublicKey;
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var connection = await CheckpointWriter.OpenAsync(store, CancellationToken.None);
        var report = await ChainVerification.VerifyAsync(connection, store.Options.DatabaseSchemaName, trusted, user, CancellationToken.None);
        Print(report, Console.Out);
        return report.Verified;
    }

    public static void Print(ChainVerification.Report report, TextWriter output)
    {
        foreach (var fault in report.Breaks)
            output.WriteLine(fault.ToString());
        output.WriteLine(report.Verified
            ? $"verified {report.Events} events in {report.Streams} streams, {report.Checkpoints} checkpoints"
            : $"FAILED: {report.Breaks.Count} breaks in {report.Events} events in {report.Streams} streams, {report.Checkpoints} checkpoints");
        var seconds = Math.Max(report.Elapsed.TotalSeconds, 1e-6);
        output.WriteLine(System.FormattableString.Invariant($"took {report.Elapsed.TotalSeconds:F2} s: {report.Events / seconds:F0} events/s"));
    }
}
