using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Users.ServiceDefaults;

/// <summary>
/// The body of /health/*: the overall status and each check's status, nothing else. Health is open to anyone,
/// and descriptions, exception texts and data name hosts, ports and errors. Shared by the API and the worker.
/// </summary>
public static class HealthAnswer
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var entries = new JsonObject();
        foreach (var (name, entry) in report.Entries)
            entries[name] = new JsonObject { ["status"] = entry.Status.ToString() };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(new JsonObject { ["status"] = report.Status.ToString(), ["entries"] = entries }.ToJsonString());
    }
}
