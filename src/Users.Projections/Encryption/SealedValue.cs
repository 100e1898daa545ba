using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Users.Projections.Encryption;

/// <summary>
/// A personal value as stored: <c>enc:v1:&lt;key id&gt;:&lt;base64url(nonce | ciphertext | tag)&gt;</c>, AES-256-GCM
/// under the data key named by the key id (the user's id), with the prefix up to the key id as associated data,
/// so a value cannot be made to name another key. Self-describing: a reader needs nothing but the string and the key.
/// </summary>
public static class SealedValue
{
    public const string Prefix = "enc:v1:";
    /// <summary>What a value reads as when it does not open: altered bytes, or a value sealed under another key.</summary>
    public const string Unreadable = "[unreadable]";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int KeyIdLength = 32; // Guid "N"

    public static bool LooksSealed(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Seal(Guid keyId, byte[] key, string plaintext)
    {
        var header = Header(keyId);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + clear.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceSize, clear.Length), sealedBytes.AsSpan(NonceSize + clear.Length), Encoding.ASCII.GetBytes(header));
        return header + ":" + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The key id a sealed value names, or null when the text is not in the sealed format.</summary>
    public static Guid? KeyIdOf(string value) =>
        LooksSealed(value) && value.Length > Prefix.Length + KeyIdLength && value[Prefix.Length + KeyIdLength] == ':'
        && Guid.TryParseExact(value.AsSpan(Prefix.Length, KeyIdLength), "N", out var id)
            ? id
            : null;

    /// <summary>The plaintext, or null when the value does not open under <paramref name="key"/> (altered, or not sealed with it).</summary>
    public static string? Open(string value, byte[] key)
    {
        if (KeyIdOf(value) is not { } keyId)
            return null;
        var header = Header(keyId);
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(value.AsSpan(header.Length + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < NonceSize + TagSize)
            return null;
        var clearLength = sealedBytes.Length - NonceSize - TagSize;
        var clear = new byte[clearLength];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, clearLength),
                sealedBytes.AsSpan(NonceSize + clearLength), clear, Encoding.ASCII.GetBytes(header));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(clear);
    }

    private static string Header(Guid keyId) => Prefix + keyId.ToString("N");
}
