using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// The API (or, with <c>program: "Users.Notifications.dll"</c>, the worker) as a separate OS process from the build
/// output, so a test can kill it outright: no graceful stop, no flushing, exactly what a crash does.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ApiProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }
    public HttpClient Client { get; }

    public static async Task<ApiProcess> StartAsync(IDictionary<string, string> environment, TimeSpan? timeout = null,
        string program = "Users.Api.dll")
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        // Drain the pipes so a chatty child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, baseUrl);
        // Like UsersStack.Api, the process's client acts as the bootstrap admin.
        if (environment.TryGetValue("Auth__BootstrapAdminApiKey", out var adminKey))
            api.Client.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The {program} process exited with code {process.ExitCode} during start-up.");
            try
            {
                if ((await api.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return api;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        await api.DisposeAsync();
        throw new TimeoutException($"The {program} process did not become ready.");
    }

    /// <summary>A crash: the whole process tree ends at once, whatever it was doing.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
            return ValueTask.CompletedTask;
        _disposed = true;
        Kill();
        Client.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
