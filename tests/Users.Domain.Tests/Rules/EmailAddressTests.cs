using Users.Domain.Rules;

namespace Users.Domain.Tests.Rules;

public sealed class EmailAddressTests
{
    [Theory]
    // Case: one mailbox however it is typed.
    [InlineData("Ada@Example.COM", "ada@example.com")]
    [InlineData("  ada@example.com ", "ada@example.com")]
    // NFC: "é" typed as one code point or as "e" + combining acute is one address.
    [InlineData("jos\u0065\u0301@example.com", "jos\u00e9@example.com")]
    [InlineData("JOS\u00c9@example.com", "jos\u00e9@example.com")]
    // IDNA: a Unicode domain and its punycode form are one domain.
    [InlineData("ada@B\u00fccher.example", "ada@xn--bcher-kva.example")]
    [InlineData("ada@xn--bcher-kva.example", "ada@xn--bcher-kva.example")]
    [InlineData("ada@XN--BCHER-KVA.example", "ada@xn--bcher-kva.example")]
    // Fullwidth letters in the domain map to ASCII under IDNA (UTS #46).
    [InlineData("ada@\uff25xample.com", "ada@example.com")]
    public void addresses_that_name_one_mailbox_have_one_key(string typed, string key) =>
        EmailAddress.Normalize(typed).ShouldBe(key);

    [Fact]
    public void a_domain_idna_refuses_is_still_compared_case_folded() =>
        EmailAddress.Normalize("Ada@Exa_mple.COM").ShouldBe("ada@exa_mple.com");
}
