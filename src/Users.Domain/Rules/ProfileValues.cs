using System.Text.Json.Nodes;

namespace Users.Domain.Rules;

/// <summary>A JSON object of profile fields as a client sent it (a merge patch or a registration).</summary>
public sealed record ProfileValues(JsonObject Json, bool IsRegistration = false)
{
    public bool Has(string field) => Json.ContainsKey(field);
    public JsonNode? Get(string field) => Json[field];
}
