using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Users.Api.Auditing;

/// <summary>Ed25519 signatures of checkpoint digests (BouncyCastle, managed).</summary>
public sealed class CheckpointSigner
{
    public const int KeySize = 32;
    private readonly Ed25519PrivateKeyParameters _key;

    private CheckpointSigner(Ed25519PrivateKeyParameters key)
    {
        _key = key;
        PublicKey = key.GeneratePublicKey().GetEncoded();
    }

    public byte[] PublicKey { get; }

    public static CheckpointSigner FromBase64(string seed, string setting) =>
        new(new Ed25519PrivateKeyParameters(Decode(seed, setting)));

    public static CheckpointSigner Generate() =>
        new(new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom()));

    public string SeedBase64 => Convert.ToBase64String(_key.GetEncoded());

    public static byte[] PublicKeyFromBase64(string key, string setting) => Decode(key, setting);

    public byte[] Sign(byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }

    public static bool Verify(byte[] publicKey, byte[] message, byte[] signature)
    {
        if (publicKey.Length != KeySize)
            return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    private static byte[] Decode(string base64, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} must be base64.");
        }
        return bytes.Length == KeySize ? bytes : throw new InvalidOperationException($"{setting} must be {KeySize} bytes (base64).");
    }
}
