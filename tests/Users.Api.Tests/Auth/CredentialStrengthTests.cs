using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Users.Api.Tests.Infrastructure;
using Users.Domain;
using Users.Domain.Events;

namespace Users.Api.Tests.Authorization;

/// <summary>Tokens of the wrong type or algorithm are refused; passwords are hashed at OWASP's PBKDF2 count.</summary>
[Collection(StackCollection.Name)]
public sealed class CredentialStrengthTests(UsersStack stack)
{
    [Fact]
    public async Task a_well_signed_token_that_is_not_an_access_token_is_refused()
    {
        var subject = Guid.CreateVersion7();
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(stack.SigningKey));

        var access = Tokens.Mint(new SigningCredentials(key, SecurityAlgorithms.HmacSha256), "users", subject, "at+jwt");
        var logout = Tokens.Mint(new SigningCredentials(key, SecurityAlgorithms.HmacSha256), "users", subject, "logout+jwt");

        // A subject with no profile is let through (an IdP admin), so an accepted token reads 404, a refused one 401.
        (await stack.ClientWithToken(access).GetAsync($"/api/v1/users/{subject}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.ClientWithToken(logout).GetAsync($"/api/v1/users/{subject}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task passwords_are_hashed_with_pbkdf2_sha512_at_210000_iterations_and_older_hashes_still_verify()
    {
        const string password = "correct horse battery staple";
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("hash"), password });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();

        var hash = (await stack.StreamAsync(id)).First().Data.ShouldBeOfType<UserRegistered>().PasswordHash!;
        // ASP.NET Identity v3: 0x01, PRF, iteration count, salt length (big-endian), salt, subkey.
        var bytes = Convert.FromBase64String(hash);
        bytes[0].ShouldBe((byte)0x01);
        ((KeyDerivationPrf)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1))).ShouldBe(KeyDerivationPrf.HMACSHA512);
        BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)).ShouldBe(210_000u);

        // A hash from before (Identity's default of 100,000 iterations) still verifies, and asks to be redone.
        var hasher = stack.ApiServices.GetRequiredService<IPasswordHasher<User>>();
        var user = new User { Id = id };
        var older = new PasswordHasher<User>().HashPassword(user, password);
        hasher.VerifyHashedPassword(user, older, password).ShouldBe(PasswordVerificationResult.SuccessRehashNeeded);
        hasher.VerifyHashedPassword(user, older, "not the password").ShouldBe(PasswordVerificationResult.Failed);
        hasher.VerifyHashedPassword(user, hash, password).ShouldBe(PasswordVerificationResult.Success);
    }

    private enum KeyDerivationPrf : uint
    {
        HMACSHA1,
        HMACSHA256,
        HMACSHA512,
    }
}

/// <summary>
/// The API in OIDC mode (<c>Auth:Authority</c>) against an identity provider played in-process: its discovery
/// document and keys answer the API's back channel.
/// </summary>
public sealed class OidcStack : UsersStack
{
    public const string Authority = "https://idp.users.test/";

    public RSA IdpKey { get; } = RSA.Create(2048);

    protected override bool StartWorker => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Authority"] = Authority,
    };

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            o => o.BackchannelHttpHandler = new IdentityProvider(new RsaSecurityKey(IdpKey.ExportParameters(false)) { KeyId = "idp-1" })));

    public SigningCredentials Signing(string algorithm) =>
        new(new RsaSecurityKey(IdpKey) { KeyId = "idp-1" }, algorithm);

    private sealed class IdentityProvider(RsaSecurityKey publicKey) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var json = request.RequestUri!.AbsolutePath switch
            {
                "/.well-known/openid-configuration" =>
                    $$"""{"issuer": "{{Authority}}", "jwks_uri": "{{Authority}}keys"}""",
                "/keys" => System.Text.Json.JsonSerializer.Serialize(new
                {
                    keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey) }
                        .Select(k => new { kty = k.Kty, kid = k.Kid, n = k.N, e = k.E, use = "sig" }),
                }),
                _ => null,
            };
            return Task.FromResult(json is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}

public sealed class OidcModeTests : IClassFixture<OidcStack>
{
    private readonly OidcStack _stack;

    public OidcModeTests(OidcStack stack) => _stack = stack;

    [Fact]
    public async Task only_the_pinned_asymmetric_algorithms_are_accepted_from_the_authority()
    {
        var subject = Guid.CreateVersion7();

        // RS256 with the authority's key: accepted (no profile for this subject: 404 rather than 401).
        (await Get(Tokens.Mint(_stack.Signing(SecurityAlgorithms.RsaSha256), OidcStack.Authority, subject))).ShouldBe(HttpStatusCode.NotFound);
        // The same key under an algorithm that is not pinned: refused.
        (await Get(Tokens.Mint(_stack.Signing(SecurityAlgorithms.RsaSha512), OidcStack.Authority, subject))).ShouldBe(HttpStatusCode.Unauthorized);
        // An HMAC keyed with the authority's public modulus, and an unsigned token: refused.
        var publicBytes = _stack.IdpKey.ExportParameters(false).Modulus!;
        (await Get(Tokens.Mint(new SigningCredentials(new SymmetricSecurityKey(publicBytes) { KeyId = "idp-1" }, SecurityAlgorithms.HmacSha256),
            OidcStack.Authority, subject))).ShouldBe(HttpStatusCode.Unauthorized);
        (await Get(Tokens.Unsigned(OidcStack.Authority, subject))).ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<HttpStatusCode> Get(string token) =>
        (await _stack.ClientWithToken(token).GetAsync($"/api/v1/users/{Guid.Parse(new JsonWebToken(token).Subject)}")).StatusCode;
}

internal static class Tokens
{
    public static string Mint(SigningCredentials signing, string issuer, Guid subject, string type = "JWT") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "users",
            Claims = new Dictionary<string, object> { ["sub"] = subject.ToString() },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = signing,
            TokenType = type,
        });

    public static string Unsigned(string issuer, Guid subject) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "users",
            Claims = new Dictionary<string, object> { ["sub"] = subject.ToString() },
            Expires = DateTime.UtcNow.AddMinutes(10),
        });
}
