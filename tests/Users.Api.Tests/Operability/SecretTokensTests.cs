using Users.ServiceDefaults;

namespace Users.Api.Tests.Operability;

/// <summary>
/// Stored verification and revert tokens and API keys are looked up by these hashes: a change of the hash would
/// orphan every one of them, so the outputs are pinned.
/// </summary>
public sealed class SecretTokensTests
{
    [Fact]
    public void a_secret_hashes_to_its_sha256_in_lower_case_hex_as_stored_tokens_and_keys_were()
    {
        SecretTokens.Hash("abc").ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        SecretTokens.Hash("in-x").ShouldBe(Auth.ApiKey.HashOf("in-x"));
    }

    [Fact]
    public void a_new_secret_is_256_random_bits_in_base64url_without_padding()
    {
        var a = SecretTokens.New();
        a.Length.ShouldBe(43);
        a.ShouldMatch("^[A-Za-z0-9_-]{43}$");
        SecretTokens.New().ShouldNotBe(a);
    }

    [Fact]
    public void secrets_compare_equal_only_when_identical_whatever_their_lengths()
    {
        SecretTokens.Same("in-secret", "in-secret").ShouldBeTrue();
        SecretTokens.Same("in-secret", "in-secreT").ShouldBeFalse();
        SecretTokens.Same("in-secret", "in-secret-longer").ShouldBeFalse();
    }
}
