using System.Security.Cryptography;
using Users.Projections.Encryption;

namespace Users.Api.Tests.Auditing.Encryption;

/// <summary>The stored form of a personal value: opens only under its own key, unaltered, and under the key id it names.</summary>
public sealed class SealedValueTests
{
    private static readonly Guid User = Guid.NewGuid();
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void a_sealed_value_names_its_key_hides_the_value_and_opens_to_it()
    {
        var sealedValue = SealedValue.Seal(User, Key, "Ada Lovelace, +44 20 7946 0000");
        sealedValue.ShouldStartWith($"enc:v1:{User:N}:");
        sealedValue.ShouldNotContain("Lovelace", Case.Sensitive);
        SealedValue.KeyIdOf(sealedValue).ShouldBe(User);
        SealedValue.Open(sealedValue, Key).ShouldBe("Ada Lovelace, +44 20 7946 0000");
        SealedValue.Seal(User, Key, "Ada").ShouldNotBe(SealedValue.Seal(User, Key, "Ada"), "a fresh nonce each time");
    }

    [Fact]
    public void an_altered_value_another_key_or_another_key_id_does_not_open()
    {
        var sealedValue = SealedValue.Seal(User, Key, "ada@example.com");
        var at = sealedValue.Length - 8;
        SealedValue.Open(sealedValue[..at] + (sealedValue[at] == 'x' ? 'y' : 'x') + sealedValue[(at + 1)..], Key).ShouldBeNull();
        SealedValue.Open(sealedValue, RandomNumberGenerator.GetBytes(32)).ShouldBeNull();
        // Copied under another user's key id (with this key, as if that user's key were the same): the key id is authenticated.
        SealedValue.Open(sealedValue.Replace(User.ToString("N"), Guid.NewGuid().ToString("N")), Key).ShouldBeNull();
        SealedValue.Open("enc:v1:not-a-key-id:AAAA", Key).ShouldBeNull();
        SealedValue.KeyIdOf("enc:v1 typed by a user").ShouldBeNull();
    }

    [Fact]
    public void a_data_key_row_opens_only_for_its_user_under_the_master_key()
    {
        var keys = new DataKeys(RandomNumberGenerator.GetBytes(32), "Host=unused", "unused");
        var row = new UserDataKey { Id = User, WrappedKey = keys.Wrap(User, Key) };
        keys.Unwrap(row).ShouldBe(Key);
        Should.Throw<CryptographicException>(() => keys.Unwrap(new UserDataKey { Id = Guid.NewGuid(), WrappedKey = row.WrappedKey }));
        var otherMaster = new DataKeys(RandomNumberGenerator.GetBytes(32), "Host=unused", "unused");
        Should.Throw<CryptographicException>(() => otherMaster.Unwrap(row)).Message.ShouldContain("Encryption:MasterKey");
    }
}
